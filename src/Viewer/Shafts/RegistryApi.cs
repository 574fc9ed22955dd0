using System.Text.Json;
using System.Text.Json.Nodes;
using GeoMine.Geo;
using GeoMine.Geo.Import;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Hosting;
using Npgsql;

namespace GeoMine.Viewer.Shafts;

/// <summary>
/// The registry over HTTP (<see cref="RegistryEditor"/>): <c>GET /api/registry</c> lists the layers and fields people may
/// change; <c>PATCH /api/registry/{layer}/{code}</c> changes fields of one record with a reason, all or nothing, each change
/// kept in the append-only audit; <c>GET /api/registry/{layer}/{code}/changes</c> reads that audit. A coordinator edits
/// and reads only records of their towns (404 otherwise).
/// </summary>
internal static class RegistryApi
{
    public static IEndpointRouteBuilder MapRegistryApi(this IEndpointRouteBuilder routes)
    {
        var registry = routes.MapGroup("/api/registry").WithTags(ApiTags.Shafts);
        registry.MapGet("", () => TypedResults.Ok(RegistryEditor.Layers.Select(EditableLayerView.Of).ToList()))
            .WithName("listRegistryLayers").WithSummary("The layers whose records people edit on the page, and the fields they may change");
        registry.MapMethods("/{layer}/{code}", [HttpMethods.Patch], PatchAsync).WithName("patchRegistryRecord")
            .WithSummary("Change registry fields of one record (null clears) with a reason; every change is kept in the audit")
            .Accepts<RegistryPatch>("application/json").Produces<RegistryChangesView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        registry.MapGet("/{layer}/{code}/changes", ChangesAsync).WithName("listRegistryChanges")
            .WithSummary("Every change of one record's registry fields, newest first: old and new value, who, why, when (China time)")
            .Produces<RegistryChangesView>().ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<IResult> PatchAsync(
        string layer, string code, HttpRequest request, Caller caller, NpgsqlDataSource db, RegistryEditor editor, CancellationToken ct)
    {
        if (RegistryEditor.Find(layer) is not { } editable || !await caller.Scope.HoldsAsync(db, LayerCatalog.Get(layer).Kind, code, ct))
        {
            return NotFound(layer, code);
        }

        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct) as JsonObject ?? throw new JsonException("the body is not a JSON object");
        }
        catch (JsonException e)
        {
            return Bad("body", $"not a JSON object: {e.Message}");
        }

        try
        {
            return await editor.UpdateAsync(editable, code, body, caller.Actor, ct) is { } changes
                ? TypedResults.Ok(new RegistryChangesView([.. changes.Select(RegistryChangeView.Of)]))
                : NotFound(layer, code);
        }
        catch (RegistryInputException e)
        {
            return Bad(e.Field, e.Message);
        }
    }

    private static async Task<IResult> ChangesAsync(string layer, string code, Caller caller, NpgsqlDataSource db, RegistryEditor editor, CancellationToken ct) =>
        RegistryEditor.Find(layer) is null || !await caller.Scope.HoldsAsync(db, LayerCatalog.Get(layer).Kind, code, ct)
            ? NotFound(layer, code)
            : TypedResults.Ok(new RegistryChangesView([.. (await editor.ChangesAsync(layer, code, ct)).Select(RegistryChangeView.Of)]));

    private static IResult Bad(string field, string detail) => FieldProblem.Bad("bad registry change", field, $"{field}: {detail}");

    private static IResult NotFound(string layer, string code) =>
        TypedResults.Problem($"no {layer} record {code} that you may change", statusCode: StatusCodes.Status404NotFound, title: "unknown record");
}

/// <summary><c>PATCH /api/registry/{layer}/{code}</c>: the fields to change (only those sent; null clears) and why. Which fields a
/// layer has is <c>GET /api/registry</c>; values are read as an import reads them (codes or their Chinese terms, yyyy-mm-dd, metres).</summary>
/// <param name="Reason">Why (required; kept with every change).</param>
/// <param name="Status">Shafts: intact, damaged, opened, backfilled; mines: closing, closed, sealed, stopped.</param>
/// <param name="SealMeth">Shafts: how the shaft was sealed.</param>
/// <param name="SealedOn">Shafts: when it was sealed, yyyy-mm-dd.</param>
/// <param name="ElevM">Shafts: collar elevation, metres.</param>
/// <param name="ClosedOn">Mines: the closure decision's day, yyyy-mm-dd.</param>
/// <param name="RiskClass">Mines: A, B, C or D (A类…).</param>
internal sealed record RegistryPatch(
    string Reason, string? Name, string? Status, string? SealMeth, string? SealedOn, double? ElevM, string? ClosedOn, string? Mineral, string? RiskClass);

/// <summary>A layer people edit: its name and fields (catalog name, kind text|date|number|code, required).</summary>
internal sealed record EditableLayerView(string Layer, IReadOnlyList<EditableFieldView> Fields)
{
    public static EditableLayerView Of(EditableLayer l) =>
        new(l.Layer, [.. l.Fields.Select(f =>
        {
            var (min, max) = RegistryEditor.Limits(l, f);
            return new EditableFieldView(f.Field, f.Kind.ToString().ToLowerInvariant(), f.Required, min, max);
        })]);
}

/// <summary>A field people may change.</summary>
/// <param name="Field">The catalog's field name.</param>
/// <param name="Kind">text, date, number or code.</param>
/// <param name="Required">It cannot be emptied.</param>
/// <param name="Min">The lowest value accepted (a number in the field's unit, or a date yyyy-MM-dd); null: no limit.</param>
/// <param name="Max">The highest value accepted; null: no limit.</param>
internal sealed record EditableFieldView(string Field, string Kind, bool Required, string? Min, string? Max);

/// <summary>Changes of a record.</summary>
internal sealed record RegistryChangesView(IReadOnlyList<RegistryChangeView> Changes);

/// <summary>One change: field, old and new value (text; null = empty), who, why, when (China time).</summary>
internal sealed record RegistryChangeView(string Field, string? Old, string? New, string Actor, string Reason, string At)
{
    public static RegistryChangeView Of(RegistryChange c) => new(c.Field, c.Old, c.New, c.Actor, c.Reason, ChinaTime.Iso(c.AtUtc));
}
