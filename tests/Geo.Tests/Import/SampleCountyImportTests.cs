using System.Text.Json;
using GeoMine.Geo.Import;
using GeoMine.TestSupport;

namespace GeoMine.Geo.Tests.Import;

public sealed class SampleCountyImportTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    [Fact]
    public async Task ImportAll_EveryShippedLayer_ImportsExactlyTheFeaturesGdalCounts()
    {
        Assert.Equal(CountyDataSet.Files.Count, county.Results.Count);
        foreach (var result in county.Results)
        {
            var expected = await Gdal.FeatureCountAsync(result.Source);
            Assert.True(expected > 0, $"{result.Source} is empty");
            Assert.Empty(result.Rejected);
            Assert.Equal(expected, result.Read);
            Assert.Equal(expected, result.Inserted + result.Updated);
        }
    }

    [Fact]
    public async Task ImportTowns_GbkShapefileWithoutCpg_ReadsTheChineseNames()
    {
        var names = await county.Db.ScalarAsync<string[]>("SELECT array_agg(name ORDER BY name) FROM jurisdiction WHERE level = 'town'");
        var towns = county.Results.Single(r => r.Layer == "towns");

        Assert.False(File.Exists(Path.ChangeExtension(towns.Source, ".cpg")), "the sample must have no .cpg");
        Assert.StartsWith(ShapefileEncoding.Gbk, towns.Encoding);
        Assert.Equal(["临江镇", "何埂镇", "双石镇", "宝峰镇", "红炉镇"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ImportShafts_FromZonePrefixedGaussKruger_AgreeWithCs2csWithinAMillimetre()
    {
        var source = Path.Combine(TestPaths.SampleData, "sealed_shafts.shp");
        var points = await Gdal.PointsAsync(source, "井口编号", "CP936");
        var expected = await Gdal.Cs2csToCgcs2000Async(4523, points.Select(p => (p.X, p.Y)));

        await using var connection = await county.Db.OpenAsync();
        for (var i = 0; i < points.Count; i++)
        {
            await using var command = new Npgsql.NpgsqlCommand("SELECT ST_X(geom), ST_Y(geom) FROM sealed_shaft WHERE code = @code", connection);
            command.Parameters.AddWithValue("code", points[i].Key);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), $"shaft {points[i].Key} missing");
            // 1e-8 degrees is about 1 mm on the ground.
            Assert.Equal(expected[i].Lon, reader.GetDouble(0), 1e-8);
            Assert.Equal(expected[i].Lat, reader.GetDouble(1), 1e-8);
        }
    }

    [Fact]
    public async Task ImportShafts_EveryShaft_LiesInsideItsOwnMine()
    {
        var outside = await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE NOT ST_Within(s.geom, m.geom)");
        var shafts = await county.Db.ScalarAsync<long>("SELECT count(*) FROM sealed_shaft");

        Assert.True(shafts >= 16);
        Assert.Equal(0, outside);
    }

    [Fact]
    public async Task ImportMiningRights_FromCentralMeridianZone_KeepElevationRangeMultipartsAndHoles()
    {
        var withHoles = await county.Db.ScalarAsync<long>("SELECT count(*) FROM mining_right WHERE ST_NumInteriorRings(ST_GeometryN(geom, 1)) > 0");
        var multipart = await county.Db.ScalarAsync<long>("SELECT count(*) FROM mining_right WHERE ST_NumGeometries(geom) > 1");
        var badRange = await county.Db.ScalarAsync<long>("SELECT count(*) FROM mining_right WHERE upper_m <= lower_m");
        var invalid = await county.Db.ScalarAsync<long>("SELECT count(*) FROM mining_right WHERE NOT ST_IsValid(geom)");

        Assert.True(withHoles >= 1, "the licence with a hole lost it");
        Assert.True(multipart >= 1, "the two-block licence lost a block");
        Assert.Equal(0, badRange);
        Assert.Equal(0, invalid);
    }

    [Fact]
    public async Task ImportFacilities_Wgs84GeoJson_StoredAsCgcs2000WithoutDatumShift()
    {
        using var geojson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.SampleData, "facilities.geojson")));
        var first = geojson.RootElement.GetProperty("features")[0];
        var name = first.GetProperty("properties").GetProperty("name").GetString()!;
        var coordinates = first.GetProperty("geometry").GetProperty("coordinates");

        var lon = await county.Db.ScalarAsync<double>("SELECT ST_X(ST_PointOnSurface(geom)) FROM facility WHERE name = @n AND geometrytype(geom) = 'POINT'", ("n", name));
        var lat = await county.Db.ScalarAsync<double>("SELECT ST_Y(ST_PointOnSurface(geom)) FROM facility WHERE name = @n AND geometrytype(geom) = 'POINT'", ("n", name));

        Assert.Equal(coordinates[0].GetDouble(), lon, 1e-9);
        Assert.Equal(coordinates[1].GetDouble(), lat, 1e-9);
    }

    [Fact]
    public async Task ImportTailings_FlowPathsAndDamToes_AttachToEveryPondByCode()
    {
        var ponds = await county.Db.ScalarAsync<long>("SELECT count(*) FROM tailings_pond");
        var complete = await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM tailings_pond WHERE flow_path IS NOT NULL AND dam_toe IS NOT NULL AND ST_DWithin(ST_StartPoint(flow_path), dam_toe, 1e-7)");

        Assert.Equal(6, ponds);
        Assert.Equal(ponds, complete);
    }

    [Fact]
    public async Task ImportClosedMines_TownField_LinksEachMineToTheTownThatContainsIt()
    {
        var mismatched = await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM closed_mine m JOIN jurisdiction t ON t.id = m.town_id WHERE NOT ST_Contains(t.geom, ST_PointOnSurface(m.geom))");
        var unlinked = await county.Db.ScalarAsync<long>("SELECT count(*) FROM closed_mine WHERE town_id IS NULL");
        var named = await county.Db.ScalarAsync<long>("SELECT count(*) FROM closed_mine WHERE name IN ('吊水洞煤矿', '中心桥煤矿', '韦家沟煤矿', '箕山电煤')");

        Assert.Equal(0, mismatched);
        Assert.Equal(0, unlinked);
        Assert.Equal(4, named);
    }
}
