using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace GeoMine.Geo.Import;

/// <summary>A registry field a person may change on a record: the catalog's field, the column it is stored in.</summary>
public sealed record EditableField(string Field, string Column, FieldKind Kind, bool Required);

/// <summary>A layer whose records people edit: its table and the fields they may change.</summary>
public sealed record EditableLayer(string Layer, string Table, IReadOnlyList<EditableField> Fields);

/// <summary>One change of one field, as the audit keeps it (values as text; null = empty).</summary>
public sealed record RegistryChange(string Layer, string Key, string Field, string? Old, string? New, string Actor, string Reason, DateTime AtUtc);

/// <summary>A change that cannot be made; <see cref="Field"/> names the member of the request.</summary>
public sealed class RegistryInputException(string field, string message) : Exception(message)
{
    /// <summary>The member of the request that is wrong.</summary>
    public string Field { get; } = field;
}

/// <summary>
/// Changes registry fields of sealed shafts and closed mines as a person does on the map page: each value is read by the
/// layer catalog's own rules (the codes and terms an import accepts, dates, numbers), all or nothing, and every field that
/// really changes gets a <c>registry_change</c> row — old and new value, who, why — in the same transaction. The audit is
/// append-only. The layers and fields are <see cref="Layers"/>; later registers add theirs there.
/// </summary>
public sealed class RegistryEditor(NpgsqlDataSource db)
{
    /// <summary>The layers people edit and the fields they may change.</summary>
    public static IReadOnlyList<EditableLayer> Layers { get; } =
    [
        new("shafts", "sealed_shaft",
        [
            new("name", "name", FieldKind.Text, false), new("sealed_on", "seal_date", FieldKind.Date, false),
            new("seal_meth", "seal_method", FieldKind.Text, false), new("status", "status", FieldKind.Code, true),
            new("elev_m", "collar_elevation_m", FieldKind.Number, false),
        ]),
        new("closed-mines", "closed_mine",
        [
            new("name", "name", FieldKind.Text, true), new("closed_on", "closure_decision_date", FieldKind.Date, false),
            new("status", "closure_status", FieldKind.Code, true), new("mineral", "mineral", FieldKind.Text, false),
            new("risk_class", "risk_class", FieldKind.Code, false),
        ]),
    ];

    /// <summary>The lowest and highest value <paramref name="field"/> of <paramref name="layer"/> accepts, as an HTML input's
    /// <c>min</c> and <c>max</c> (numbers in the field's unit, dates yyyy-MM-dd); null where there is no limit.</summary>
    public static (string? Min, string? Max) Limits(EditableLayer layer, EditableField field)
    {
        var spec = LayerCatalog.Get(layer.Layer).Fields.First(f => f.Name == field.Field);
        return spec.Kind switch
        {
            FieldKind.Date => (FieldValues.EarliestDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                FieldValues.LatestDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            FieldKind.Number or FieldKind.Integer when spec.Range is { } range =>
                (range.Min.ToString(CultureInfo.InvariantCulture), range.Max.ToString(CultureInfo.InvariantCulture)),
            _ => (null, null),
        };
    }

    /// <summary>The editable layer named <paramref name="layer"/>, or null.</summary>
    public static EditableLayer? Find(string layer) => Layers.FirstOrDefault(l => l.Layer == layer);

    /// <summary>
    /// Applies <paramref name="body"/> (catalog field names → new values, null clears; <c>reason</c> required) to the record
    /// <paramref name="key"/> of <paramref name="layer"/>. Returns the changes made (empty when every value was already so),
    /// or null when there is no such record.
    /// </summary>
    /// <exception cref="RegistryInputException">naming the member that is wrong; nothing is written.</exception>
    public async Task<IReadOnlyList<RegistryChange>?> UpdateAsync(EditableLayer layer, string key, JsonObject body, string actor, CancellationToken ct)
    {
        var reason = body["reason"] is JsonValue r && r.GetValueKind() == JsonValueKind.String && r.GetValue<string>().Trim() is { Length: > 0 } why
            ? why
            : throw new RegistryInputException("reason", "is required: why the record changes (kept with the change)");
        var catalog = LayerCatalog.Get(layer.Layer);
        var wanted = new List<(EditableField Field, object? Value)>();
        foreach (var (member, node) in body)
        {
            if (member == "reason")
            {
                continue;
            }

            var field = layer.Fields.FirstOrDefault(f => f.Field == member)
                ?? throw new RegistryInputException(member, $"is not a field that can be changed here; fields: {string.Join(", ", layer.Fields.Select(f => f.Field))}");
            var text = node switch
            {
                null => null,
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>().ToString("R", CultureInfo.InvariantCulture),
                _ => throw new RegistryInputException(member, "must be a text, a number or null"),
            };
            var (value, error) = FieldValues.Convert(catalog.Fields.First(f => f.Name == field.Field), member, text);
            if (error is not null)
            {
                throw new RegistryInputException(member, error);
            }

            if (value is null && field.Required)
            {
                throw new RegistryInputException(member, "cannot be emptied");
            }

            wanted.Add((field, value));
        }

        if (wanted.Count == 0)
        {
            throw new RegistryInputException("reason", $"nothing to change: send one or more of {string.Join(", ", layer.Fields.Select(f => f.Field))}");
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var columns = string.Join(", ", wanted.Select(w => $"{w.Field.Column}::text"));
        var old = new Dictionary<string, string?>();
        await using (var read = new NpgsqlCommand($"SELECT {columns} FROM {layer.Table} WHERE code = @key FOR UPDATE", connection, tx))
        {
            read.Parameters.AddWithValue("key", key);
            await using var reader = await read.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            for (var i = 0; i < wanted.Count; i++)
            {
                old[wanted[i].Field.Field] = reader.IsDBNull(i) ? null : reader.GetString(i);
            }
        }

        var changes = new List<RegistryChange>();
        var now = DateTime.UtcNow;
        foreach (var (field, value) in wanted)
        {
            var text = value switch
            {
                null => null,
                DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                double n => n.ToString("R", CultureInfo.InvariantCulture),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            };
            var before = old[field.Field];
            if (field.Kind == FieldKind.Number && before is not null && text is not null
                && double.Parse(before, CultureInfo.InvariantCulture) == double.Parse(text, CultureInfo.InvariantCulture))
            {
                continue;
            }

            if (before == text)
            {
                continue;
            }

            await using (var update = new NpgsqlCommand($"UPDATE {layer.Table} SET {field.Column} = @v, updated_at = now() WHERE code = @key", connection, tx))
            {
                update.Parameters.AddWithValue("key", key);
                update.Parameters.AddWithValue("v", value ?? DBNull.Value);
                await update.ExecuteNonQueryAsync(ct);
            }

            await using (var audit = new NpgsqlCommand("""
                INSERT INTO registry_change (layer, object_key, field, old_value, new_value, actor, reason, at) VALUES (@l, @k, @f, @o, @n, @a, @r, @at)
                """, connection, tx))
            {
                audit.Parameters.AddWithValue("l", layer.Layer);
                audit.Parameters.AddWithValue("k", key);
                audit.Parameters.AddWithValue("f", field.Field);
                audit.Parameters.Add(new NpgsqlParameter("o", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)before ?? DBNull.Value });
                audit.Parameters.Add(new NpgsqlParameter("n", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)text ?? DBNull.Value });
                audit.Parameters.AddWithValue("a", actor);
                audit.Parameters.AddWithValue("r", reason);
                audit.Parameters.AddWithValue("at", now);
                await audit.ExecuteNonQueryAsync(ct);
            }

            changes.Add(new RegistryChange(layer.Layer, key, field.Field, before, text, actor, reason, now));
        }

        await tx.CommitAsync(ct);
        return changes;
    }

    /// <summary>The changes of record <paramref name="key"/> of <paramref name="layer"/>, newest first.</summary>
    public async Task<IReadOnlyList<RegistryChange>> ChangesAsync(string layer, string key, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT field, old_value, new_value, actor, reason, at FROM registry_change WHERE layer = @l AND object_key = @k ORDER BY at DESC, id DESC
            """);
        command.Parameters.AddWithValue("l", layer);
        command.Parameters.AddWithValue("k", key);
        var changes = new List<RegistryChange>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            changes.Add(new RegistryChange(layer, key, r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                r.GetString(3), r.GetString(4), DateTime.SpecifyKind(r.GetDateTime(5), DateTimeKind.Utc)));
        }

        return changes;
    }
}
