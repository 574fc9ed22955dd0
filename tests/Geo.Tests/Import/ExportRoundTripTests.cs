using GeoMine.Geo.Export;
using GeoMine.Geo.Import;
using GeoMine.Geo.Storage;
using GeoMine.TestSupport;
using NetTopologySuite.Geometries;
using Npgsql;

namespace GeoMine.Geo.Tests.Import;

public sealed class ExportRoundTripTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    [Theory]
    [InlineData("geojson")]
    [InlineData("shp")]
    [InlineData("gpkg")]
    public async Task ExportThenImport_EveryLayer_KeepsGeometryAndAttributes(string format)
    {
        var folder = TestPaths.NewOutputDirectory($"roundtrip-{format}");
        var copy = new PostgisFixture();
        await copy.InitializeAsync();
        try
        {
            var importer = new LayerImporter(copy.ConnectionString);
            foreach (var (_, kind) in CountyDataSet.Files)
            {
                var layer = LayerCatalog.Get(kind);
                var file = Path.Combine(folder, layer.Name + LayerExporter.Formats[format].Extension);
                await LayerExporter.ExportAsync(county.Db.ConnectionString, layer, format, file);
                await importer.ImportFileAsync(file, layer, ImportOptions.Default);
            }

            foreach (var (_, kind) in CountyDataSet.Files)
            {
                var layer = LayerCatalog.Get(kind);
                var before = await ReadLayerAsync(county.Db.ConnectionString, layer);
                var after = await ReadLayerAsync(copy.ConnectionString, layer);
                Assert.Equal(before.Select(r => r.Attributes), after.Select(r => r.Attributes));
                for (var i = 0; i < before.Count; i++)
                {
                    // 1e-9 degrees ≈ 0.1 mm: text formats print 15 significant digits.
                    Assert.True(before[i].Geometry.EqualsExact(after[i].Geometry, 1e-9),
                        $"{layer.Name} {before[i].Attributes}: {before[i].Geometry} became {after[i].Geometry}");
                }
            }
        }
        finally
        {
            await copy.DisposeAsync();
        }
    }

    private static async Task<List<(string Attributes, Geometry Geometry)>> ReadLayerAsync(string connectionString, LayerDefinition layer)
    {
        // The export query is the layer's public face: compare it row by row, attributes as JSON.
        var sql = $"SELECT (to_jsonb(e) - 'geom')::text, e.geom FROM ({layer.ExportSql}) e";
        await using var connection = await GeoDataSource.For(connectionString).OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, Geometry)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), GeometryWkb.Read(reader, 1)!));
        }

        return rows;
    }
}
