using System.Net;
using System.Net.Http.Headers;
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

    [Fact]
    public async Task Tile_RequestedAgainWithItsETag_Is304_AndGzipHasItsOwnETag()
    {
        var (z, x, y) = await ShaftTileAsync(12);
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();
        var url = $"/tiles/shafts/{z}/{x}/{y}.mvt";

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
}
