using System.CommandLine;
using System.Text.Json;
using GeoMine.Patrol.Devices;
using Spectre.Console;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine devices add|list|disable</c>.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var key = new Argument<string>("ID") { Description = "The identifier the device sends (Traccar Client's device identifier)" };
        var kind = new Option<string>("--kind") { Description = string.Join(", ", Device.Kinds), Required = true };
        kind.AcceptOnlyFromAmong(Device.Kinds);
        var name = new Option<string?>("--name") { Description = "Display name" };
        var owner = new Option<string?>("--owner") { Description = "Person or licence holder it belongs to" };
        var licence = new Option<string?>("--licence") { Description = "Licence number of the mining right equipment is bound to" };
        var crs = new Option<string>("--crs") { Description = "wgs84 or gcj02 (fixes from Chinese map SDKs)", DefaultValueFactory = _ => "wgs84" };
        crs.AcceptOnlyFromAmong("wgs84", "gcj02");
        var token = new Option<string?>("--token") { Description = "Ingest token the device must send (X-GeoMine-Token header or token=)" };
        var add = new Command("add", "Register a device (or update its registration)") { key, kind, name, owner, licence, crs, token };
        add.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(parse, ct);
            try
            {
                var device = await services.Devices.AddAsync(parse.GetRequiredValue(key), parse.GetRequiredValue(kind), parse.GetValue(name),
                    parse.GetValue(owner), parse.GetValue(licence), parse.GetRequiredValue(crs), parse.GetValue(token), ct);
                CliOutput.Done($"device {device.Key} ({device.Kind}) registered");
                return 0;
            }
            catch (ArgumentException e)
            {
                CliOutput.Fail(e.Message);
                return 2;
            }
        });

        var format = new Option<string>("--format") { DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var list = new Command("list", "List devices, unregistered ones (first seen sending) last") { format };
        list.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(parse, ct);
            var devices = await services.Devices.ListAsync(ct);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(devices, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
                return 0;
            }

            var table = new Table().AddColumns("id", "kind", "name", "owner", "licence", "crs", "token", "registered", "enabled");
            foreach (var d in devices)
            {
                table.AddRow(Markup.Escape(d.Key), d.Kind, Markup.Escape(d.Name ?? ""), Markup.Escape(d.OwnerName ?? ""),
                    d.MiningRightId?.ToString() ?? "", d.CoordinateSystem, d.HasToken ? "yes" : "", d.Registered ? "yes" : "[yellow]no[/]",
                    d.Enabled ? "yes" : "[red]no[/]");
            }

            AnsiConsole.Write(table);
            return 0;
        });

        var disableKey = new Argument<string>("ID");
        var disable = new Command("disable", "Refuse a device's fixes from now on (counted as disabled_device)") { disableKey };
        disable.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(parse, ct);
            if (await services.Devices.DisableAsync(parse.GetRequiredValue(disableKey), ct))
            {
                CliOutput.Done("disabled");
                return 0;
            }

            CliOutput.Fail($"no device {parse.GetRequiredValue(disableKey)}");
            return 1;
        });

        return new Command("devices", "Position sources: phones, vehicles, equipment, tags") { add, list, disable };
    }
}
