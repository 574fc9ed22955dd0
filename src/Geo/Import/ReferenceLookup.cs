using Npgsql;

namespace GeoMine.Geo.Import;

/// <summary>Resolves the town, parent town, mine or pond a feature names, by code or by name,
/// from the rows already in the database (read inside the import's transaction).</summary>
internal sealed class ReferenceLookup
{
    private readonly Dictionary<string, List<(long Id, string Code)>> _byKey = new(StringComparer.Ordinal);

    public static async Task<ReferenceLookup> LoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, LayerReference reference, CancellationToken cancellationToken)
    {
        var lookup = new ReferenceLookup();
        var sql = reference switch
        {
            LayerReference.Town or LayerReference.ParentTown => "SELECT id, code, name FROM jurisdiction WHERE level = 'town'",
            LayerReference.Mine => "SELECT id, code, name FROM closed_mine",
            LayerReference.Pond => "SELECT id, code, name FROM tailings_pond",
            _ => null,
        };
        if (sql is null)
        {
            return lookup;
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            var code = reader.GetString(1);
            lookup.Add(code, id, code);
            lookup.Add(reader.GetString(2), id, code);
        }

        return lookup;
    }

    /// <summary>The referenced row's id and code, or an error naming what was not found.</summary>
    public (long? Id, string? Code, string? Error) Resolve(LayerReference reference, IReadOnlyDictionary<string, object?> values)
    {
        var (field, what, required) = reference switch
        {
            LayerReference.Town => ("town", "town", false),
            LayerReference.ParentTown => ("parent", "town", false),
            LayerReference.Mine => ("mine", "closed mine", true),
            LayerReference.Pond => ("code", "tailings pond", true),
            _ => (null, null, false),
        };
        if (field is null || values.GetValueOrDefault(field) is not string key)
        {
            return required ? (null, null, $"{field} is empty") : (null, null, null);
        }

        if (!_byKey.TryGetValue(key, out var matches))
        {
            return (null, null, $"{what} '{key}' (field {field}) not found; import the {what} layer first or correct the name");
        }

        var distinct = matches.DistinctBy(m => m.Id).ToList();
        return distinct.Count == 1
            ? (distinct[0].Id, distinct[0].Code, null)
            : (null, null, $"{what} '{key}' (field {field}) is ambiguous: {string.Join(", ", distinct.Select(m => m.Code))}; use the code");
    }

    private void Add(string key, long id, string code)
    {
        if (!_byKey.TryGetValue(key, out var list))
        {
            _byKey[key] = list = [];
        }

        list.Add((id, code));
    }
}
