using System.CommandLine;
using System.Text.Json;
using GeoMine.Geo;
using GeoMine.Viewer.Access;
using Spectre.Console;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine users add|list|disable|enable|token|revoke|reset-password</c>: who may sign in, with which role and towns.</summary>
internal static class UsersCommand
{
    /// <summary>Who the audit rows name for changes made from the command line.</summary>
    private static string Actor => $"cli:{Environment.UserName}";

    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "Sign-in name (letters, digits, _ . @ -)" };
        var role = new Option<string>("--role") { Description = string.Join(", ", Roles.All), Required = true };
        role.AcceptOnlyFromAmong(Roles.All);
        var towns = new Option<string[]>("--town") { Description = "Administrative code of a town the coordinator answers for (repeat for several)", AllowMultipleArgumentsPerToken = false };
        var display = new Option<string?>("--display-name") { Description = "Name shown in the page and in audit rows, e.g. 张三" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input instead of generating a one-time password" };
        var add = new Command("add", "Create a user; prints a one-time password to be changed at the first sign-in") { name, role, towns, display, passwordStdin };
        add.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(parse, ct);
            try
            {
                var password = parse.GetValue(passwordStdin) ? (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r', '\n') : null;
                var (user, generated) = await services.Users.AddAsync(parse.GetRequiredValue(name), parse.GetRequiredValue(role),
                    parse.GetValue(towns) ?? [], parse.GetValue(display), password, Actor, ct);
                CliOutput.Done($"user {user.Name} ({user.Role}{(user.Towns.Count > 0 ? ", " + string.Join(", ", user.Towns.Select(t => t.Name)) : "")}) created");
                if (generated is not null)
                {
                    Console.WriteLine($"one-time password: {generated}");
                }

                return 0;
            }
            catch (AccessInputException e)
            {
                CliOutput.Fail(e.Message);
                return 2;
            }
        });

        var format = new Option<string>("--format") { DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var list = new Command("list", "List users with role, towns, state and live API tokens") { format };
        list.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(parse, ct);
            var users = await services.Users.ListAsync(ct);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(users.Select(u => new
                {
                    name = u.User.Name, display_name = u.User.DisplayName, role = u.User.Role, towns = u.User.Towns.Select(t => t.Code),
                    disabled = u.DisabledAt is not null, locked_until = u.LockedUntil, must_change_password = u.User.MustChangePassword, live_tokens = u.LiveTokens,
                }), new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                return 0;
            }

            var table = new Table().AddColumns("name", "display name", "role", "towns", "state", "tokens");
            foreach (var u in users)
            {
                var state = u.DisabledAt is not null ? "[red]disabled[/]"
                    : u.LockedUntil is { } until ? $"[yellow]locked until {ChinaTime.Format(new DateTimeOffset(until, TimeSpan.Zero))}[/]"
                    : u.User.MustChangePassword ? "one-time password" : "active";
                table.AddRow(Markup.Escape(u.User.Name), Markup.Escape(u.User.DisplayName ?? ""), u.User.Role,
                    Markup.Escape(string.Join(", ", u.User.Towns.Select(t => $"{t.Name} {t.Code}"))), state, u.LiveTokens.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return 0;
        });

        Command Toggle(string verb, bool disabled, string description)
        {
            var who = new Argument<string>("NAME");
            var command = new Command(verb, description) { who };
            command.SetAction(async (parse, ct) =>
            {
                await using var services = await CliServices.OpenAsync(parse, ct);
                if (await services.Users.SetDisabledAsync(parse.GetRequiredValue(who), disabled, Actor, ct))
                {
                    CliOutput.Done($"{parse.GetRequiredValue(who)} {verb}d");
                    return 0;
                }

                CliOutput.Fail($"no user {parse.GetRequiredValue(who)}");
                return 1;
            });
            return command;
        }

        var tokenUser = new Argument<string>("NAME");
        var label = new Option<string?>("--label") { Description = "What the token is for, e.g. \"QGIS on the bureau's PC\"" };
        var token = new Command("token", "Issue an API token for GIS clients and scripts (shown once; send as X-Api-Token, Bearer, or basic auth password)") { tokenUser, label };
        token.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(parse, ct);
            if (await services.Users.IssueTokenAsync(parse.GetRequiredValue(tokenUser), parse.GetValue(label), Actor, ct) is not { } issued)
            {
                CliOutput.Fail($"no user {parse.GetRequiredValue(tokenUser)}");
                return 1;
            }

            CliOutput.Done($"token {issued.Id} issued for {parse.GetRequiredValue(tokenUser)} (revoke: geomine users revoke {parse.GetRequiredValue(tokenUser)} --token {issued.Id})");
            Console.WriteLine(issued.Token);
            return 0;
        });

        var revokeUser = new Argument<string>("NAME");
        var tokenId = new Option<long?>("--token") { Description = "The token's number (all of the user's tokens when left out)" };
        var revoke = new Command("revoke", "Revoke API tokens") { revokeUser, tokenId };
        revoke.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(parse, ct);
            var count = await services.Users.RevokeTokensAsync(parse.GetRequiredValue(revokeUser), parse.GetValue(tokenId), Actor, ct);
            CliOutput.Done($"{count} token(s) revoked");
            return count > 0 ? 0 : 1;
        });

        var resetUser = new Argument<string>("NAME");
        var reset = new Command("reset-password", "Set a new one-time password (and lift a lock-out)") { resetUser };
        reset.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(parse, ct);
            if (await services.Users.ResetPasswordAsync(parse.GetRequiredValue(resetUser), Actor, ct) is not { } password)
            {
                CliOutput.Fail($"no user {parse.GetRequiredValue(resetUser)}");
                return 1;
            }

            Console.WriteLine($"one-time password: {password}");
            return 0;
        });

        return new Command("users", "Who may sign in: roles, towns, API tokens")
        {
            add, list, Toggle("disable", true, "Stop a user signing in or using tokens"), Toggle("enable", false, "Let a disabled user in again"),
            token, revoke, reset,
        };
    }
}
