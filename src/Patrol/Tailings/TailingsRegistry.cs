using System.Globalization;
using GeoMine.Geo;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Tailings;

/// <summary>
/// Edits of the tailings registry that are not imports: registry fields of a pond, and the dated records the rules read
/// (crest surveys, approvals, inspections, class overrides). Every call checks all its input first and names the field
/// that is wrong (<see cref="TailingsInputException"/>); nothing is written unless everything is right.
/// </summary>
public sealed class TailingsRegistry(NpgsqlDataSource db)
{
    private static readonly Dictionary<string, (string Column, string Type)> Editable = new(StringComparer.Ordinal)
    {
        ["name"] = ("name", "text"),
        ["operator"] = ("operator", "text"),
        ["status"] = ("status", "status"),
        ["disused_since"] = ("disused_since", "date"),
        ["closed_on"] = ("closed_on", "date"),
        ["deregistered_on"] = ("deregistered_on", "date"),
        ["total_storage_10k_m3"] = ("total_storage_10k_m3", "number"),
        ["dam_height_m"] = ("dam_height_m", "number"),
        ["design_crest_m"] = ("design_crest_m", "number"),
        ["construction_method"] = ("construction_method", "method"),
        ["plan_ref"] = ("plan_ref", "text"),
    };

    private static readonly string[] Statuses = ["in_use", "disused", "closed", "deregistered", "no_operator"];
    private static readonly string[] Methods = ["upstream", "downstream", "centerline", "other"];

    /// <summary>Fields a PATCH may carry.</summary>
    public static IReadOnlyCollection<string> EditableFields => Editable.Keys;

    /// <summary>Sets the given registry fields of pond <paramref name="code"/> (JSON null clears a field). A pond made
    /// disused needs <c>disused_since</c> (given now or already on record).</summary>
    public async Task UpdateAsync(string code, JsonObject changes, CancellationToken ct = default)
    {
        if (changes.Count == 0)
        {
            throw new TailingsInputException("body", "no field to change");
        }

        var values = new List<(string Column, object? Value, NpgsqlDbType Type)>();
        foreach (var (field, node) in changes)
        {
            if (!Editable.TryGetValue(field, out var spec))
            {
                throw new TailingsInputException(field, $"is not an editable field ({string.Join(", ", Editable.Keys)})");
            }

            values.Add(spec.Type switch
            {
                "text" => (spec.Column, node is null ? null : Text(node, field), NpgsqlDbType.Text),
                "date" => (spec.Column, node is null ? null : Day(node, field), NpgsqlDbType.Date),
                "number" => (spec.Column, node is null ? null : NonNegative(node, field), NpgsqlDbType.Double),
                "status" => (spec.Column, OneOf(node, field, Statuses), NpgsqlDbType.Text),
                _ => (spec.Column, node is null ? null : OneOf(node, field, Methods), NpgsqlDbType.Text),
            });
        }

        if (values.Any(v => v.Column == "name" && v.Value is null))
        {
            throw new TailingsInputException("name", "cannot be cleared");
        }

        var set = string.Join(", ", values.Select((v, i) => $"{v.Column} = @v{i}"));
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var command = new NpgsqlCommand($"UPDATE tailings_pond SET {set}, updated_at = now() WHERE code = @code RETURNING status, disused_since", connection, transaction))
        {
            command.Parameters.AddWithValue("code", code);
            for (var i = 0; i < values.Count; i++)
            {
                command.Parameters.Add(new NpgsqlParameter($"v{i}", values[i].Type) { Value = values[i].Value ?? DBNull.Value });
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new TailingsNotFoundException(code);
            }

            if (reader.GetString(0) == "disused" && reader.IsDBNull(1))
            {
                throw new TailingsInputException("disused_since", "is required when the status is disused");
            }
        }

        await transaction.CommitAsync(ct);
    }

    /// <summary>Records a crest elevation survey (m) of a day; a second survey of the same day replaces the first.</summary>
    public Task AddSurveyAsync(string code, JsonObject body, CancellationToken ct = default)
    {
        Known(body, "surveyed_on", "crest_m", "source");
        var day = Day(Required(body, "surveyed_on"), "surveyed_on");
        var crest = Elevation(Required(body, "crest_m"), "crest_m");
        var source = body["source"] is { } s ? Text(s, "source") : null;
        return InsertAsync(code, """
            INSERT INTO tailings_crest_survey (pond_id, surveyed_on, crest_m, source) VALUES (@pond, @a, @b, @c)
            ON CONFLICT (pond_id, surveyed_on) DO UPDATE SET crest_m = EXCLUDED.crest_m, source = EXCLUDED.source, recorded_at = now()
            """, [day, crest, source], ct);
    }

    /// <summary>Records an approval: dam_raise (with the approved <c>crest_m</c>), method_change, reactivation or closure.</summary>
    public Task AddApprovalAsync(string code, JsonObject body, CancellationToken ct = default)
    {
        Known(body, "kind", "approved_on", "crest_m", "document");
        var kind = OneOf(Required(body, "kind"), "kind", ["dam_raise", "method_change", "reactivation", "closure"]);
        var day = Day(Required(body, "approved_on"), "approved_on");
        double? crest = body["crest_m"] is { } c ? Elevation(c, "crest_m") : null;
        if (kind == "dam_raise" && crest is null)
        {
            throw new TailingsInputException("crest_m", "is required for a dam_raise approval (the approved crest elevation, m)");
        }

        var document = Text(Required(body, "document"), "document");
        return InsertAsync(code, "INSERT INTO tailings_approval (pond_id, kind, approved_on, crest_m, document) VALUES (@pond, @a, @b, @c, @d)",
            [kind, day, crest, document], ct);
    }

    /// <summary>Inspection kinds: pre_flood (汛前检查), flood_routing (调洪演算), spot_check (抽查).</summary>
    public static readonly IReadOnlyList<string> InspectionKinds = ["pre_flood", "flood_routing", "spot_check"];

    /// <summary>Records an inspection done: pre_flood (汛前检查), flood_routing (调洪演算) or spot_check (抽查).</summary>
    public Task AddInspectionAsync(string code, JsonObject body, CancellationToken ct = default)
    {
        Known(body, "kind", "done_on", "inspector", "findings", "document");
        var kind = OneOf(Required(body, "kind"), "kind", [.. InspectionKinds]);
        var day = Day(Required(body, "done_on"), "done_on");
        var inspector = Text(Required(body, "inspector"), "inspector");
        var findings = body["findings"] is { } f ? Text(f, "findings") : null;
        var document = body["document"] is { } d ? Text(d, "document") : null;
        return InsertAsync(code, "INSERT INTO tailings_inspection (pond_id, kind, done_on, inspector, findings, document) VALUES (@pond, @a, @b, @c, @d, @e)",
            [kind, day, inspector, findings, document], ct);
    }

    /// <summary>Overrides the computed class (一…五, or null to withdraw the override) with a reason; recorded append-only.</summary>
    public Task OverrideClassAsync(string code, JsonObject body, string actor, CancellationToken ct = default)
    {
        Known(body, "class", "reason");
        var node = body.TryGetPropertyValue("class", out var given) ? given : throw new TailingsInputException("class", "is required (null withdraws the override)");
        short? value = node is null ? null : (short)PondClass.ParseValue(node.GetValueKind() == JsonValueKind.Number
            ? node.GetValue<int>().ToString(CultureInfo.InvariantCulture) : Text(node, "class"));
        var reason = Text(Required(body, "reason"), "reason");
        return InsertAsync(code, "INSERT INTO tailings_class_override (pond_id, class, reason, actor) VALUES (@pond, @a, @b, @c)",
            [value, reason, actor], ct);
    }

    private async Task InsertAsync(string code, string sql, object?[] values, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        long pond;
        await using (var find = new NpgsqlCommand("SELECT id FROM tailings_pond WHERE code = @code FOR UPDATE", connection, transaction))
        {
            find.Parameters.AddWithValue("code", code);
            pond = await find.ExecuteScalarAsync(ct) as long? ?? throw new TailingsNotFoundException(code);
        }

        await using (var insert = new NpgsqlCommand(sql, connection, transaction))
        {
            insert.Parameters.AddWithValue("pond", pond);
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters.Add(values[i] is null
                    ? new NpgsqlParameter(((char)('a' + i)).ToString(), DBNull.Value)
                    : new NpgsqlParameter(((char)('a' + i)).ToString(), values[i]));
            }

            await insert.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    private static void Known(JsonObject body, params string[] fields)
    {
        foreach (var (field, _) in body)
        {
            if (!fields.Contains(field))
            {
                throw new TailingsInputException(field, $"is not a field here ({string.Join(", ", fields)})");
            }
        }
    }

    private static JsonNode Required(JsonObject body, string field) =>
        body.TryGetPropertyValue(field, out var node) && node is not null ? node : throw new TailingsInputException(field, "is required");

    private static string Text(JsonNode node, string field) =>
        node.GetValueKind() == JsonValueKind.String && node.GetValue<string>().Trim() is { Length: > 0 } text
            ? text
            : throw new TailingsInputException(field, "must be a non-empty string");

    private static double Number(JsonNode node, string field) =>
        node.GetValueKind() == JsonValueKind.Number && node.GetValue<double>() is var value && double.IsFinite(value)
            ? value
            : throw new TailingsInputException(field, $"must be a number (metres or 万m³), not {node.ToJsonString()}");

    /// <summary>An elevation in metres (1985 national height datum): China's land lies between −155 m (Turpan) and 8 849 m.</summary>
    private static double Elevation(JsonNode node, string field) =>
        Number(node, field) is var metres and >= -500 and <= 9000
            ? metres
            : throw new TailingsInputException(field, $"{node.ToJsonString()} m is not an elevation in China (−500 to 9 000 m)");

    private static double NonNegative(JsonNode node, string field) =>
        Number(node, field) is var value and >= 0 ? value : throw new TailingsInputException(field, "must not be negative");

    private static DateOnly Day(JsonNode node, string field) =>
        node.GetValueKind() == JsonValueKind.String
        && ChinaTime.TryParseDay(node.GetValue<string>(), out var day)
            ? day
            : throw new TailingsInputException(field, $"must be {ChinaTime.DayForm}, not {node.ToJsonString()}");

    private static string OneOf(JsonNode? node, string field, string[] allowed) =>
        node is not null && node.GetValueKind() == JsonValueKind.String && allowed.Contains(node.GetValue<string>())
            ? node.GetValue<string>()
            : throw new TailingsInputException(field, $"must be one of {string.Join(", ", allowed)}");
}

/// <summary>Registry input that is wrong; <see cref="Field"/> names what.</summary>
/// <param name="field">The field at fault.</param>
/// <param name="problem">What is wrong with it.</param>
public sealed class TailingsInputException(string field, string problem) : Exception($"{field}: {problem}")
{
    /// <summary>The field at fault.</summary>
    public string Field { get; } = field;
}

/// <summary>No tailings pond with that code.</summary>
/// <param name="code">The code asked for.</param>
public sealed class TailingsNotFoundException(string code) : Exception($"no tailings pond with code {code}");
