using GeoMine.Geo.Import;
using Npgsql;

namespace GeoMine.Viewer.Access;

/// <summary>
/// The towns a request may see and change: every town, or a fixed set (a town coordinator's). Every endpoint
/// family applies it — OGC API, vector tiles, coverage, tailings, alarms, assignments, records — so what is
/// outside the scope is never read, and changing it answers 404 as if it did not exist.
/// </summary>
public sealed class TownScope
{
    /// <summary>The SQL parameter name the predicates use (a bigint[] of jurisdiction ids).</summary>
    public const string Parameter = "scope_towns";

    private TownScope(IReadOnlyList<TownRef>? towns) => Towns = towns;

    /// <summary>No restriction (county bureau, tailings reviewer, administrator).</summary>
    public static TownScope Everything { get; } = new(null);

    /// <summary>The towns of the scope; null for every town.</summary>
    public IReadOnlyList<TownRef>? Towns { get; }

    public bool IsEverything => Towns is null;

    public long[] TownIds => Towns?.Select(t => t.Id).ToArray() ?? [];

    /// <summary>Town codes of the scope, null for every town (the shape the Patrol services take).</summary>
    public IReadOnlyCollection<string>? TownCodes => Towns?.Select(t => t.Code).ToArray();

    public static TownScope Of(IReadOnlyList<TownRef> towns) => new(towns);

    /// <summary>Whether a row of the town <paramref name="townId"/> is inside (a row with no town is outside a limited scope).</summary>
    public bool Allows(long? townId) => IsEverything || (townId is { } id && Towns!.Any(t => t.Id == id));

    /// <summary>Whether the town named by code or name is inside the scope.</summary>
    public bool AllowsTown(string codeOrName) =>
        IsEverything || Towns!.Any(t => t.Code == codeOrName || t.Name == codeOrName);

    /// <summary>
    /// SQL that keeps a row <paramref name="row"/> of an exported layer (see <see cref="LayerCatalog"/>) only when
    /// its town is in scope, or "TRUE" for every town. Add the parameter with <see cref="AddParameter"/>.
    /// </summary>
    public string LayerPredicate(LayerDefinition layer, string row) =>
        IsEverything ? "TRUE" : $"{layer.TownOf($"{row}.{layer.KeyField}")} = ANY(@{Parameter})";

    /// <summary>Whether the feature of kind <paramref name="kind"/> with code (licence number for mining rights)
    /// <paramref name="key"/> exists and lies in the scope; false for an unknown one (callers answer 404 for both).</summary>
    public async Task<bool> HoldsAsync(NpgsqlDataSource db, LayerKind kind, string key, CancellationToken ct)
    {
        if (IsEverything)
        {
            return await ExistsAsync(db, kind, key, ct);
        }

        await using var command = db.CreateCommand($"SELECT {LayerCatalog.Get(kind).TownOf("@key")} AS town_id");
        command.Parameters.AddWithValue("key", key);
        return await command.ExecuteScalarAsync(ct) is long id && Allows(id);
    }

    private static async Task<bool> ExistsAsync(NpgsqlDataSource db, LayerKind kind, string key, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"SELECT EXISTS (SELECT 1 FROM {LayerCatalog.Get(kind).RowOfKey})");
        command.Parameters.AddWithValue("key", key);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Adds <c>@scope_towns</c> to a command whose SQL uses <see cref="LayerPredicate"/> (harmless when unused).</summary>
    public void AddParameter(NpgsqlCommand command) => command.Parameters.AddWithValue(Parameter, TownIds);
}
