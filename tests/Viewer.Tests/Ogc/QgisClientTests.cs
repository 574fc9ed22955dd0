using System.Diagnostics;
using System.Text.Json;
using GeoMine.Geo.Import;
using GeoMine.TestSupport;
using GeoMine.Viewer.Hosting;

namespace GeoMine.Viewer.Tests.Ogc;

/// <summary>
/// QGIS as officials use it (Debian's QGIS 3.22, headless PyQGIS, tests/qgis/open_collections.py): opens every OGC API
/// collection of a real server with basic auth (user name + API token), counts each layer's features, renders them, and
/// draws the shafts' vector tiles (the PNGs are kept under test-output/). Counts must equal PostgreSQL's.
/// </summary>
public sealed class QgisClientTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    [Fact]
    public async Task Qgis_OpensEveryCollection_WithBasicAuth_CountsEqualTheDatabase()
    {
        var token = await TestUsers.TokenAsync(county.Db, "qgis-bureau", GeoMine.Viewer.Access.Roles.CountyBureau);
        await OgcFeaturesApiTests.SendTrackAsync(county, "qgis-track-phone"); // a line layer too
        await using var server = await LoopbackServer.StartAsync(county.Db);
        var port = server.Port;
        var output = TestPaths.NewOutputDirectory("qgis");
        string[] collections = [.. GeoMine.Viewer.Ogc.OgcCollections.All.Select(c => c.Name)];
        string stdout, stderr;
        try
        {
            var start = new ProcessStartInfo("/usr/bin/python3",
                [Path.Combine(TestPaths.Root, "tests", "qgis", "open_collections.py"), $"http://127.0.0.1:{port}", "qgis-bureau", token, output, .. collections])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            };
            start.Environment["QT_QPA_PLATFORM"] = "offscreen";
            var runtime = Directory.CreateTempSubdirectory("geomine-qgis-"); // mode 0700, as Qt wants its runtime folder
            start.Environment["XDG_RUNTIME_DIR"] = runtime.FullName;
            start.Environment["HOME"] = runtime.FullName; // QGIS' profile and a throw-away auth database, not the user's
            start.Environment["QGIS_AUTH_DB_DIR_PATH"] = runtime.FullName;
            using var qgis = Process.Start(start)!;
            var read = qgis.StandardOutput.ReadToEndAsync();
            var errors = qgis.StandardError.ReadToEndAsync();
            await qgis.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            (stdout, stderr) = (await read, await errors);
            Assert.True(qgis.ExitCode == 0, $"PyQGIS failed ({qgis.ExitCode}): {stderr}");
        }
        finally
        {
            await server.StopAsync();
        }

        var counts = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
        foreach (var layer in LayerCatalog.All)
        {
            Assert.True(counts.GetProperty(layer.Name).ValueKind == JsonValueKind.Number, $"{layer.Name}: {counts.GetProperty(layer.Name)}");
            Assert.Equal(await county.Db.ScalarAsync<long>($"SELECT count(*) FROM ({layer.ExportSql}) e"), counts.GetProperty(layer.Name).GetInt64());
        }

        foreach (var (collection, table) in OgcFeaturesApiTests.ActivityTables)
        {
            Assert.Equal(await county.Db.ScalarAsync<long>($"SELECT count(*) FROM {table}"), counts.GetProperty(collection).GetInt64());
        }

        Assert.True(new FileInfo(Path.Combine(output, "qgis-collections.png")).Length > 10_000, "QGIS rendered no map");

        // The shafts' vector tiles, fetched with the token through a QGIS basic-auth configuration, drew something.
        Assert.True(counts.GetProperty("tiles:shafts").GetBoolean(), "QGIS could not open the vector tiles");
        Assert.True(counts.GetProperty("tiles:shafts:drawn").GetBoolean(), $"QGIS drew no shaft from the vector tiles: {stderr}");
    }
}
