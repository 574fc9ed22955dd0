using GeoMine.Geo.Import;
using GeoMine.Geo.Storage;
using Npgsql;

namespace GeoMine.Viewer.Hosting;

/// <summary>The demo county shipped in <c>data/shapefiles</c>, imported by <c>up</c> on first run.</summary>
internal static class SampleData
{
    /// <summary>Files of the demo data set, in import order (towns before what lies in them).</summary>
    public static readonly (string File, LayerKind Layer)[] Files =
    [
        ("towns.shp", LayerKind.Towns),
        ("villages.shp", LayerKind.Villages),
        ("closed_mines.shp", LayerKind.ClosedMines),
        ("sealed_shafts.shp", LayerKind.Shafts),
        ("mining_rights.shp", LayerKind.MiningRights),
        ("tailings_ponds.shp", LayerKind.Tailings),
        ("tailings_flow_paths.shp", LayerKind.TailingsFlowPaths),
        ("tailings_dam_toes.shp", LayerKind.TailingsDamToes),
        ("facilities.geojson", LayerKind.Facilities),
    ];

    public static string Directory => Path.Combine(GeoMineHome.Root, "data", "shapefiles");

    /// <summary>True when nothing was ever imported into this database.</summary>
    public static async Task<bool> IsFirstRunAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT NOT EXISTS (SELECT 1 FROM import_log)", connection);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Imports every file present, each all-or-nothing; returns the results.</summary>
    public static async Task<IReadOnlyList<ImportResult>> ImportAsync(string connectionString, string directory, CancellationToken ct)
    {
        var importer = new LayerImporter(connectionString);
        var results = new List<ImportResult>();
        foreach (var (file, layer) in Files)
        {
            var path = Path.Combine(directory, file);
            if (File.Exists(path))
            {
                results.Add(await importer.ImportFileAsync(path, LayerCatalog.Get(layer), ImportOptions.Default, cancellationToken: ct));
            }
        }

        return results;
    }
}
