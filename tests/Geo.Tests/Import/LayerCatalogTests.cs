using GeoMine.Geo.Import;
using GeoMine.TestSupport;
using Npgsql;

namespace GeoMine.Geo.Tests.Import;

/// <summary>Each layer carries its key field, the SQL of a feature's town and of its row (what town scoping, the OGC API and
/// the existence checks read): PostGIS runs them for every layer, on the demo county, and finds each town where the layer's
/// own table says it is.</summary>
public sealed class LayerCatalogTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    [Fact]
    public async Task EveryLayer_TownAndRowOfItsFirstFeature_AsItsTableSays()
    {
        await using var connection = await county.Db.OpenAsync();
        foreach (var layer in LayerCatalog.All)
        {
            await using var first = new NpgsqlCommand($"SELECT {layer.KeyField} FROM ({layer.ExportSql}) x LIMIT 1", connection);
            if (await first.ExecuteScalarAsync() is not string key)
            {
                continue; // the demo county has no feature in this layer
            }

            await using var check = new NpgsqlCommand(
                $"SELECT (SELECT EXISTS (SELECT 1 FROM {layer.RowOfKey})), {layer.TownOf("@key")}", connection);
            check.Parameters.AddWithValue("key", key);
            await using var r = await check.ExecuteReaderAsync();
            await r.ReadAsync();
            Assert.True(r.GetBoolean(0), $"{layer.Name} {key}: RowOfKey finds no row");
            Assert.False(r.IsDBNull(1) && layer.Kind != LayerKind.Towns, $"{layer.Name} {key}: no town");
        }
    }
}
