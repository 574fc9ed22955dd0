using System.Net;
using System.Buffers.Binary;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GeoMine.Geo.Storage;
using GeoMine.TestSupport;

namespace GeoMine.Viewer.Tests.Tiles;

public sealed class VectorTilesApiTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    /// <summary>The XYZ tile holding a point (OpenStreetMap's slippy-map formula).</summary>
    private static (int X, int Y) TileOf(double lon, double lat, int z)
    {
        var n = Math.Pow(2, z);
        var latRad = double.DegreesToRadians(lat);
        return ((int)Math.Floor((lon + 180) / 360 * n), (int)Math.Floor((1 - Math.Log(Math.Tan(latRad) + 1 / Math.Cos(latRad)) / Math.PI) / 2 * n));
    }

    private async Task<(int Z, int X, int Y)> ShaftTileAsync(int z)
    {
        var lon = await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = 'YC-CM-001-J1'");
        var lat = await county.Db.ScalarAsync<double>("SELECT ST_Y(geom) FROM sealed_shaft WHERE code = 'YC-CM-001-J1'");
        var (x, y) = TileOf(lon, lat, z);
        return (z, x, y);
    }

    [Fact]
    public async Task Tile_WithShafts_DecodesWithGdalToTheShaftsPostgisPutsInThatTile()
    {
        var (z, x, y) = await ShaftTileAsync(13);
        await using var app = new GeoMineApplication(county.Db);

        var response = await app.CreateClient().GetAsync($"/tiles/shafts/{z}/{x}/{y}.mvt");
        var file = Path.Combine(TestPaths.NewOutputDirectory("tile"), $"{z}-{x}-{y}.mvt");
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        var decoded = await ExternalCommand.RunCheckedAsync("ogrinfo", ["-ro", "-al", "-q", "-oo", $"X={x}", "-oo", $"Y={y}", "-oo", $"Z={z}", file]);
        var expected = await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM sealed_shaft WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope(@z, @x, @y), 4490))", ("z", z), ("x", x), ("y", y));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.mapbox-vector-tile", response.Content.Headers.ContentType?.MediaType);
        Assert.True(expected > 0);
        Assert.Equal(expected, decoded.Split('\n').Count(l => l.StartsWith("OGRFeature(shafts)", StringComparison.Ordinal)));
        Assert.Contains("YC-CM-001-J1", decoded);
    }

    /// <summary>The map page's one tile with every layer: GDAL reads in it each layer of /api/layers that has something
    /// there, with as many features as that layer's own tile — and as PostGIS counts for the shafts.</summary>
    [Fact]
    public async Task AllLayersTile_HoldsEachLayerAsItsOwnTileDoes_GdalReadsThemApart()
    {
        var (z, x, y) = await ShaftTileAsync(11);
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();
        var directory = TestPaths.NewOutputDirectory("tile-all");
        async Task<string> DecodeAsync(string name, string url)
        {
            var file = Path.Combine(directory, $"{name}.mvt");
            await File.WriteAllBytesAsync(file, await client.GetByteArrayAsync(url));
            return new FileInfo(file).Length == 0 ? "" : await ExternalCommand.RunCheckedAsync("ogrinfo", ["-ro", "-al", "-q", "-oo", $"X={x}", "-oo", $"Y={y}", "-oo", $"Z={z}", file]);
        }

        static int Count(string decoded, string layer) => decoded.Split('\n').Count(l => l.StartsWith($"OGRFeature({layer})", StringComparison.Ordinal));
        var all = await DecodeAsync("all", $"/tiles/all/{z}/{x}/{y}.mvt");
        var layers = (await client.GetFromJsonAsync<JsonElement>("/api/layers")).EnumerateArray().Select(l => l.GetProperty("id").GetString()!).ToList();
        var drawn = 0;
        foreach (var layer in layers)
        {
            var own = Count(await DecodeAsync(layer, $"/tiles/{layer}/{z}/{x}/{y}.mvt"), layer);
            Assert.Equal(own, Count(all, layer));
            drawn += own > 0 ? 1 : 0;
        }

        Assert.True(drawn >= 3, $"only {drawn} layers have something in this tile: the test proves little");
        Assert.Equal(await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM sealed_shaft WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope(@z, @x, @y), 4490))", ("z", z), ("x", x), ("y", y)),
            Count(all, "shafts"));
    }

    [Fact]
    public async Task Tile_RequestedAgainWithItsETag_Is304_AndGzipHasItsOwnETag()
    {
        var (z, x, y) = await ShaftTileAsync(12);
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();
        var url = $"/tiles/shafts/{z}/{x}/{y}.mvt";

        await AssertStrongETagAnd304AndOwnGzipETagAsync(client, url);
    }

    [Fact]
    public async Task Tile_WithNothingInIt_Is204()
    {
        await using var app = new GeoMineApplication(county.Db);

        var response = await app.CreateClient().GetAsync("/tiles/shafts/10/512/512.mvt"); // Gulf of Guinea

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData("23/0/0")]
    [InlineData("3/8/0")]
    [InlineData("3/0/8")]
    [InlineData("x/0/0")]
    [InlineData("3/-1/0")]
    public async Task Tile_OffTheGrid_Is400(string zxy)
    {
        await using var app = new GeoMineApplication(county.Db);

        var response = await app.CreateClient().GetAsync($"/tiles/shafts/{zxy}.mvt");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>An overview tile's points (the format of ShaftOverviewTiles): shaft id, Web Mercator position, style byte.</summary>
    internal static List<(long Id, double X, double Y, int Style)> DecodeOverview(byte[] tile, int z, int x, int y)
    {
        const double half = 20037508.342789244;
        var size = 2 * half / (1 << z);
        var n = (int)BinaryPrimitives.ReadUInt32LittleEndian(tile);
        Assert.Equal(4 + 9 * n, tile.Length);
        return Enumerable.Range(0, n).Select(i => (
            (long)BinaryPrimitives.ReadUInt32LittleEndian(tile.AsSpan(4 + 4 * i)),
            -half + x * size + (BinaryPrimitives.ReadUInt16LittleEndian(tile.AsSpan(4 + 4 * n + 4 * i)) + 0.5) * size / 65536,
            half - y * size - (BinaryPrimitives.ReadUInt16LittleEndian(tile.AsSpan(4 + 4 * n + 4 * i + 2)) + 0.5) * size / 65536,
            (int)tile[4 + 8 * n + i])).ToList();
    }

    [Fact]
    public async Task OverviewTile_HoldsTheShaftsPostgisPutsInThatTile_AtTheirPlaceWithTheirPatrolStatus()
    {
        var (z, x, y) = await ShaftTileAsync(9);
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();

        var response = await client.GetAsync($"/tiles/shafts/{z}/{x}/{y}.bin");
        var points = DecodeOverview(await response.Content.ReadAsByteArrayAsync(), z, x, y);
        var expected = await county.Db.ScalarAsync<long[]>(
            "SELECT array_agg(id ORDER BY id) FROM sealed_shaft WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope(@z, @x, @y), 4490))",
            ("z", z), ("x", x), ("y", y));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(expected.Length > 1);
        Assert.Equal(expected, points.Select(p => p.Id).Order());
        await AssertAsShaftDetailsAsync(client, points);
    }

    [Fact]
    public async Task OverviewTile_AfterTheOverdueJobStoredRatings_StillAsShaftDetails_AlsoForAShaftVisitedAndOneUnassignedSince()
    {
        var (z, x, y) = await ShaftTileAsync(9);
        await using var db = GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString);
        var overdue = new GeoMine.Patrol.Obligations.PatrolOverdueService(db, new GeoMine.Patrol.Alarms.AlarmStore(db),
            Microsoft.Extensions.Options.Options.Create(new GeoMine.Patrol.Obligations.PatrolObligationOptions()));
        // A shaft of the tile with a responsible person for the run to store (the sample county has none in this tile).
        var unassigned = await county.Db.ScalarAsync<long>("""
            WITH p AS (INSERT INTO person (name) VALUES ('瓦片测试责任人') RETURNING id)
            INSERT INTO assignment (person_id, role, object_kind, object_id, valid_from)
            SELECT p.id, 'responsible_person', 'sealed_shaft', s.id, now() - interval '10 days' FROM p, sealed_shaft s
            WHERE ST_Intersects(s.geom, ST_Transform(ST_TileEnvelope(@z, @x, @y), 4490))
              AND NOT EXISTS (SELECT FROM assignment a WHERE a.object_kind = 'sealed_shaft' AND a.object_id = s.id AND a.role = 'responsible_person')
            ORDER BY s.id DESC LIMIT 1
            RETURNING object_id
            """, ("z", z), ("x", x), ("y", y));
        await overdue.RunAsync(DateTime.UtcNow.AddMinutes(-1), full: true);
        Assert.True(await county.Db.ScalarAsync<bool>("SELECT assigned FROM shaft_patrol_rating WHERE shaft_id = @id", ("id", unassigned)));
        // Since the run: a shaft of the tile visited, another's responsible person gone (both marked for re-rating).
        var visited = await county.Db.ScalarAsync<long>("""
            SELECT s.id FROM sealed_shaft s JOIN shaft_patrol_rating r ON r.shaft_id = s.id
            WHERE r.status <> 'ok' AND s.id <> @other AND ST_Intersects(s.geom, ST_Transform(ST_TileEnvelope(@z, @x, @y), 4490)) ORDER BY s.id LIMIT 1
            """, ("other", unassigned), ("z", z), ("x", x), ("y", y));
        await county.Db.ScalarAsync<int>("INSERT INTO patrol_visit (shaft_id, arrived_at, left_at, source) " +
            "VALUES (@id, now() - interval '30 minutes', now() - interval '25 minutes', 'record') RETURNING 0", ("id", visited));
        await county.Db.ScalarAsync<int>("UPDATE assignment SET valid_to = now() - interval '10 seconds' " +
            "WHERE object_kind = 'sealed_shaft' AND object_id = @id AND role = 'responsible_person' RETURNING 0", ("id", unassigned));
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();

        var points = DecodeOverview(await client.GetByteArrayAsync($"/tiles/shafts/{z}/{x}/{y}.bin"), z, x, y);

        Assert.Contains(points, p => p.Id == visited && (p.Style & 3) == 0); // ok now, not the stored rating
        Assert.Contains(points, p => p.Id == unassigned && (p.Style & 4) != 0);
        await AssertAsShaftDetailsAsync(client, points);
    }

    /// <summary>Requests <paramref name="url"/>, then again with its ETag (304) and with gzip (its own ETag); returns the first answer.</summary>
    private static async Task<HttpResponseMessage> AssertStrongETagAnd304AndOwnGzipETagAsync(HttpClient client, string url)
    {
        var first = await client.GetAsync(url);
        var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await client.SendAsync(again);
        var zipped = new HttpRequestMessage(HttpMethod.Get, url);
        zipped.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        var gzip = await client.SendAsync(zipped);

        Assert.False(first.Headers.ETag!.IsWeak);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal("gzip", Assert.Single(gzip.Content.Headers.ContentEncoding));
        Assert.NotEqual(first.Headers.ETag, gzip.Headers.ETag);
        return first;
    }

    /// <summary>Each point is within one quantum of the shaft and has the patrol status and responsibility of its details.</summary>
    private async Task AssertAsShaftDetailsAsync(HttpClient client, List<(long Id, double X, double Y, int Style)> points)
    {
        string[] statuses = ["ok", "due_soon", "overdue", "never_visited"];
        foreach (var point in points)
        {
            // Within one quantum (z9: 1.2 m) of where PostGIS puts the shaft in Web Mercator.
            var distance = await county.Db.ScalarAsync<double>(
                "SELECT ST_Distance(ST_Transform(geom, 3857), ST_SetSRID(ST_MakePoint(@x, @y), 3857)) FROM sealed_shaft WHERE id = @id",
                ("x", point.X), ("y", point.Y), ("id", point.Id));
            Assert.True(distance < 2, $"shaft {point.Id} is {distance:F1} m off");
            // The same status and responsibility as the shaft's details.
            var code = await county.Db.ScalarAsync<string>("SELECT code FROM sealed_shaft WHERE id = @id", ("id", point.Id));
            var details = await client.GetFromJsonAsync<JsonElement>($"/api/shafts/{code}");
            Assert.Equal(details.GetProperty("patrol_status").GetString(), statuses[point.Style & 3]);
            Assert.Equal(details.GetProperty("unassigned").GetBoolean(), (point.Style & 4) != 0);
        }
    }

    [Fact]
    public async Task OverviewTile_RequestedAgainWithItsETag_Is304_AndGzipHasItsOwnETag()
    {
        var (z, x, y) = await ShaftTileAsync(7);
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();
        var url = $"/tiles/shafts/{z}/{x}/{y}.bin";

        var first = await AssertStrongETagAnd304AndOwnGzipETagAsync(client, url);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
    }

    [Fact]
    public async Task OverviewTile_WithNothingInIt_Is204()
    {
        await using var app = new GeoMineApplication(county.Db);

        var response = await app.CreateClient().GetAsync("/tiles/shafts/9/256/256.bin"); // Gulf of Guinea

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData("10/0/0")] // zoomed in, the vector tiles serve
    [InlineData("3/8/0")]
    [InlineData("3/0/8")]
    [InlineData("x/0/0")]
    [InlineData("3/-1/0")]
    public async Task OverviewTile_OffTheGridOrAboveZoom9_Is400(string zxy)
    {
        await using var app = new GeoMineApplication(county.Db);

        var response = await app.CreateClient().GetAsync($"/tiles/shafts/{zxy}.bin");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
