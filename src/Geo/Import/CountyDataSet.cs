namespace GeoMine.Geo.Import;

/// <summary>
/// A county's reference data as a folder of files with conventional names (the layout of
/// <c>data/shapefiles</c>), imported in dependency order: towns before the villages, mines and
/// ponds that lie in them, mines before their shafts, ponds before their flow paths. Each file is
/// its own all-or-nothing import; missing files are skipped.
/// </summary>
public static class CountyDataSet
{
    /// <summary>Conventional file names and their layers, in import order.</summary>
    public static IReadOnlyList<(string File, LayerKind Layer)> Files { get; } =
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

    /// <summary>Imports every file of <paramref name="directory"/> that is present.</summary>
    public static async Task<IReadOnlyList<ImportResult>> ImportAsync(
        string connectionString, string directory, CancellationToken cancellationToken = default)
    {
        var importer = new LayerImporter(connectionString);
        var results = new List<ImportResult>();
        foreach (var (file, layer) in Files)
        {
            var path = Path.Combine(directory, file);
            if (File.Exists(path))
            {
                results.Add(await importer.ImportFileAsync(
                    path, LayerCatalog.Get(layer), ImportOptions.Default, cancellationToken: cancellationToken));
            }
        }

        return results;
    }
}
