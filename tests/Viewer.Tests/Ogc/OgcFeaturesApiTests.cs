using System.Globalization;
using System.Net;
using System.Text.Json;
using GeoMine.Geo.Import;
using GeoMine.Geo.Storage;
using GeoMine.TestSupport;
using GeoMine.Viewer.Hosting;

namespace GeoMine.Viewer.Tests.Ogc;

public sealed class OgcFeaturesApiTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private async Task<JsonElement> GetJsonAsync(string url)
    {
        await using var app = new GeoMineApplication(county.Db);
        var response = await app.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Collections_ListEveryReferenceLayer()
    {
        var json = await GetJsonAsync("/ogc/collections");

        Assert.Equal([.. LayerCatalog.All.Select(l => l.Name), "alarms", "patrol-visits", "patrol-records", "patrol-tracks"],
            json.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Items_PagesOf10_NextLinksVisitEveryShaftOnce()
    {
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();
        var ids = new List<string>();
        string? url = "/ogc/collections/shafts/items?limit=10";
        while (url is not null)
        {
            var page = JsonDocument.Parse(await client.GetStringAsync(url)).RootElement;
            ids.AddRange(page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!));
            url = page.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("rel").GetString() == "next")
                .Select(l => new Uri(l.GetProperty("href").GetString()!).PathAndQuery).FirstOrDefault();
        }

        var expected = await county.Db.ScalarAsync<long>("SELECT count(*) FROM sealed_shaft");
        Assert.Equal(expected, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    /// <summary>Keyset paging: the next link carries the last id, not an offset; only the first page counts the matches.</summary>
    [Fact]
    public async Task Items_NextLinkCarriesACursor_OnlyTheFirstPageCounts()
    {
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();
        var first = JsonDocument.Parse(await client.GetStringAsync("/ogc/collections/shafts/items?limit=5")).RootElement;
        var next = new Uri(first.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "next").GetProperty("href").GetString()!);
        var second = JsonDocument.Parse(await client.GetStringAsync(next.PathAndQuery)).RootElement;

        var fifth = await county.Db.ScalarAsync<string>("SELECT code FROM sealed_shaft ORDER BY code LIMIT 1 OFFSET 4");
        Assert.Contains($"cursor={fifth}", next.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("offset=", next.Query, StringComparison.Ordinal);
        Assert.Equal(await county.Db.ScalarAsync<long>("SELECT count(*) FROM sealed_shaft"), first.GetProperty("numberMatched").GetInt64());
        Assert.False(second.TryGetProperty("numberMatched", out _));
        Assert.Equal(await county.Db.ScalarAsync<string>("SELECT code FROM sealed_shaft ORDER BY code LIMIT 1 OFFSET 5"),
            second.GetProperty("features")[0].GetProperty("id").GetString());
    }

    /// <summary>OGC API - Features 1.0.1: a limit above the maximum (10 000) is served as the maximum, not refused.</summary>
    [Fact]
    public async Task Items_LimitAboveTheMaximum_IsClamped_AndGeometriesHaveNoNestedCrs()
    {
        var json = await GetJsonAsync("/ogc/collections/shafts/items?limit=50000");

        Assert.Equal(await county.Db.ScalarAsync<long>("SELECT count(*) FROM sealed_shaft"), json.GetProperty("numberReturned").GetInt64());
        Assert.All(json.GetProperty("features").EnumerateArray(), f => Assert.False(f.GetProperty("geometry").TryGetProperty("crs", out _)));
    }

    [Fact]
    public async Task Item_HasSelfAndCollectionLinks_LandingHasServiceDesc()
    {
        var item = await GetJsonAsync("/ogc/collections/shafts/items/YC-CM-001-J1");
        var landing = await GetJsonAsync("/ogc");

        var rels = item.GetProperty("links").EnumerateArray().ToDictionary(l => l.GetProperty("rel").GetString()!, l => l.GetProperty("href").GetString()!);
        Assert.EndsWith("/ogc/collections/shafts/items/YC-CM-001-J1", rels["self"], StringComparison.Ordinal);
        Assert.EndsWith("/ogc/collections/shafts", rels["collection"], StringComparison.Ordinal);
        var serviceDesc = new Uri(landing.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "service-desc")
            .GetProperty("href").GetString()!);

        // QGIS (QgsOapifApiRequest) reads components.parameters.limit.schema.maximum/default as integers for its page size.
        var api = await GetJsonAsync(serviceDesc.PathAndQuery);
        var limit = api.GetProperty("components").GetProperty("parameters").GetProperty("limit").GetProperty("schema");
        Assert.Equal(JsonValueKind.Number, limit.GetProperty("maximum").ValueKind);
        Assert.Equal(10000, limit.GetProperty("maximum").GetInt32());
        Assert.Equal(10, limit.GetProperty("default").GetInt32());
    }

    [Theory]
    [InlineData("datetime=2026-11-01T08:00:00%2B08:00", HttpStatusCode.OK)]
    [InlineData("datetime=2026-11-01/..", HttpStatusCode.OK)]
    [InlineData("datetime=../2026-11-01T00:00:00Z", HttpStatusCode.OK)]
    [InlineData("datetime=yesterday", HttpStatusCode.BadRequest)]
    [InlineData("datetime=2026-11-02/2026-11-01", HttpStatusCode.BadRequest)]
    [InlineData("datetime=../..", HttpStatusCode.BadRequest)]
    public async Task Items_Datetime_IsCheckedAndIgnoredOnLayersWithoutTime(string query, HttpStatusCode status)
    {
        await using var app = new GeoMineApplication(county.Db);

        var response = await app.CreateClient().GetAsync($"/ogc/collections/shafts/items?{query}");

        Assert.Equal(status, response.StatusCode);
    }

    /// <summary>RFC 9110: a 401 names how to authenticate, so QGIS and GDAL offer basic auth; a browser's fetch gets no Basic
    /// challenge (it would open the browser's own login dialog over the page).</summary>
    [Fact]
    public async Task Anonymous401_ChallengesGisClientsWithBasic_ButNotTheBrowserPage()
    {
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateAnonymousClient();

        var gis = await client.GetAsync("/ogc/collections");
        var page = new HttpRequestMessage(HttpMethod.Get, "/ogc/collections") { Headers = { { "Sec-Fetch-Mode", "cors" } } };
        var browser = await client.SendAsync(page);

        Assert.Equal(HttpStatusCode.Unauthorized, gis.StatusCode);
        Assert.StartsWith("Basic", gis.Headers.WwwAuthenticate.Single().Scheme, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, browser.StatusCode);
        Assert.Empty(browser.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Items_Bbox_ReturnsExactlyTheShaftsPostgisFindsInIt()
    {
        const string bbox = "105.70,29.10,105.90,29.30";
        var expected = await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM sealed_shaft WHERE ST_Intersects(geom, ST_MakeEnvelope(105.70, 29.10, 105.90, 29.30, 4490))");

        var json = await GetJsonAsync($"/ogc/collections/shafts/items?bbox={bbox}&limit=1000");

        Assert.True(expected > 0);
        Assert.Equal(expected, json.GetProperty("numberMatched").GetInt64());
        Assert.Equal(expected, json.GetProperty("features").GetArrayLength());
    }

    [Fact]
    public async Task Items_PropertyFilter_ReturnsOnlyMatchingFeatures()
    {
        var json = await GetJsonAsync("/ogc/collections/shafts/items?mine=YC-CM-001");

        Assert.All(json.GetProperty("features").EnumerateArray(), f => Assert.Equal("YC-CM-001", f.GetProperty("properties").GetProperty("mine").GetString()));
        Assert.Equal(await county.Db.ScalarAsync<long>("SELECT count(*) FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE m.code = 'YC-CM-001'"),
            json.GetProperty("numberReturned").GetInt64());
    }

    [Fact]
    public async Task Item_ByCode_ReturnsTheShaft_UnknownCodeIs404()
    {
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();

        var shaft = JsonDocument.Parse(await client.GetStringAsync("/ogc/collections/shafts/items/YC-CM-001-J1")).RootElement;
        var missing = await client.GetAsync("/ogc/collections/shafts/items/NO-SUCH-SHAFT");
        var noCollection = await client.GetAsync("/ogc/collections/no-such-layer/items");

        Assert.Equal("YC-CM-001-J1", shaft.GetProperty("id").GetString());
        Assert.Equal("Point", shaft.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noCollection.StatusCode);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=abc")]
    [InlineData("offset=-1")]
    [InlineData("bbox=1,2,3")]
    [InlineData("bbox=106,29,105,30")]
    [InlineData("crs=http://www.opengis.net/def/crs/EPSG/0/3857")]
    [InlineData("colour=red")]
    public async Task Items_BadParameter_Is400(string query)
    {
        await using var app = new GeoMineApplication(county.Db);

        var response = await app.CreateClient().GetAsync($"/ogc/collections/shafts/items?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Item_InGaussKrugerCrs_NorthingFirstAndAgreesWithCs2csWithinAMillimetre()
    {
        var lon = await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = 'YC-CM-001-J1'");
        var lat = await county.Db.ScalarAsync<double>("SELECT ST_Y(geom) FROM sealed_shaft WHERE code = 'YC-CM-001-J1'");
        // cs2cs takes EPSG:4490 as "lat lon" and prints EPSG:4544 as "northing easting".
        var input = Path.GetTempFileName();
        await File.WriteAllTextAsync(input, FormattableString.Invariant($"{lat:R} {lon:R}\n"));
        var cs2cs = (await ExternalCommand.RunCheckedAsync("cs2cs", ["-f", "%.4f", "EPSG:4490", "EPSG:4544", input]))
            .Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

        await using var app = new GeoMineApplication(county.Db);
        var response = await app.CreateClient().GetAsync("/ogc/collections/shafts/items/YC-CM-001-J1?crs=http://www.opengis.net/def/crs/EPSG/0/4544");
        var coordinates = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("geometry").GetProperty("coordinates");

        Assert.Equal("<http://www.opengis.net/def/crs/EPSG/0/4544>", response.Headers.GetValues("Content-Crs").Single());
        Assert.Equal(cs2cs[0], coordinates[0].GetDouble(), 0.001); // northing
        Assert.Equal(cs2cs[1], coordinates[1].GetDouble(), 0.001); // easting
    }

    [Fact]
    public async Task GdalOapifDriver_OverRealHttp_WithTokenAsBasicAuth_ListsCollectionsAndReadsEveryShaft()
    {
        var token = await TestUsers.TokenAsync(county.Db, "gdal-bureau", GeoMine.Viewer.Access.Roles.CountyBureau);
        string[] auth = ["--config", "GDAL_HTTP_AUTH", "BASIC", "--config", "GDAL_HTTP_USERPWD", $"gdal-bureau:{token}"];
        await using var server = await LoopbackServer.StartAsync(county.Db);
        var port = server.Port;
        try
        {
            var layers = await ExternalCommand.RunCheckedAsync("ogrinfo", [.. auth, "-ro", "-q", $"OAPIF:http://127.0.0.1:{port}/ogc"]);
            var shafts = await ExternalCommand.RunCheckedAsync("ogrinfo", [.. auth, "-ro", "-al", "-q", $"OAPIF:http://127.0.0.1:{port}/ogc", "shafts"]);

            Assert.All(LayerCatalog.All, l => Assert.Contains(l.Name, layers));
            var expected = await county.Db.ScalarAsync<long>("SELECT count(*) FROM sealed_shaft");
            Assert.Equal(expected, shafts.Split('\n').Count(line => line.StartsWith("OGRFeature(shafts)", StringComparison.Ordinal)));
        }
        finally
        {
            await server.StopAsync();
        }
    }

    /// <summary>GDAL copies every collection to a GeoPackage over real HTTP (basic auth with a token); each layer's count
    /// equals what PostgreSQL holds.</summary>
    [Fact]
    public async Task GdalCopiesEveryCollectionToGeoPackage_CountsEqualTheDatabase()
    {
        var token = await TestUsers.TokenAsync(county.Db, "gdal-copy", GeoMine.Viewer.Access.Roles.CountyBureau);
        await SendTrackAsync(county, "gdal-track-phone"); // lines too, not only points
        await using var server = await LoopbackServer.StartAsync(county.Db);
        var port = server.Port;
        var gpkg = Path.Combine(TestPaths.NewOutputDirectory("ogc-gpkg"), "county.gpkg");
        try
        {
            await ExternalCommand.RunCheckedAsync("ogr2ogr",
                ["--config", "GDAL_HTTP_AUTH", "BASIC", "--config", "GDAL_HTTP_USERPWD", $"gdal-copy:{token}", "-f", "GPKG", gpkg, $"OAPIF:http://127.0.0.1:{port}/ogc"]);
        }
        finally
        {
            await server.StopAsync();
        }

        foreach (var layer in LayerCatalog.All)
        {
            var info = await ExternalCommand.RunCheckedAsync("ogrinfo", ["-ro", "-so", gpkg, layer.Name]);
            var copied = long.Parse(info.Split('\n').Single(l => l.StartsWith("Feature Count:", StringComparison.Ordinal))["Feature Count:".Length..].Trim(),
                CultureInfo.InvariantCulture);
            Assert.Equal(await county.Db.ScalarAsync<long>($"SELECT count(*) FROM ({layer.ExportSql}) e"), copied);
        }

        foreach (var (collection, table) in ActivityTables)
        {
            var expected = await county.Db.ScalarAsync<long>($"SELECT count(*) FROM {table}");
            // GDAL may leave an empty collection out of the GeoPackage; a collection with features must be there.
            var info = expected > 0 ? await ExternalCommand.RunCheckedAsync("ogrinfo", ["-ro", "-so", gpkg, collection])
                : (await ExternalCommand.RunAsync("ogrinfo", ["-ro", "-so", gpkg, collection])).StandardOutput;
            var copied = info.Split('\n').Where(l => l.StartsWith("Feature Count:", StringComparison.Ordinal))
                .Select(l => long.Parse(l["Feature Count:".Length..].Trim(), CultureInfo.InvariantCulture)).SingleOrDefault();
            Assert.Equal(expected, copied);
        }
    }

    /// <summary>The activity collections and the table each one's features come from (one feature per row).</summary>
    internal static readonly (string Collection, string Table)[] ActivityTables =
        [("alarms", "alarm"), ("patrol-visits", "patrol_visit"), ("patrol-records", "patrol_record"), ("patrol-tracks", "patrol_track_segment")];

    /// <summary>Collections and TileJSON say where the data is: the extent PostGIS computes over the table (CRS84 order).</summary>
    [Fact]
    public async Task CollectionExtentAndTileJsonBounds_AreTheTablesExtent()
    {
        var expected = new[]
        {
            await county.Db.ScalarAsync<double>("SELECT ST_XMin(ST_Extent(geom)) FROM sealed_shaft"),
            await county.Db.ScalarAsync<double>("SELECT ST_YMin(ST_Extent(geom)) FROM sealed_shaft"),
            await county.Db.ScalarAsync<double>("SELECT ST_XMax(ST_Extent(geom)) FROM sealed_shaft"),
            await county.Db.ScalarAsync<double>("SELECT ST_YMax(ST_Extent(geom)) FROM sealed_shaft"),
        };

        var collection = await GetJsonAsync("/ogc/collections/shafts");
        var tileJson = await GetJsonAsync("/tiles/shafts.json");

        var bbox = collection.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0].EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var bounds = tileJson.GetProperty("bounds").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], bbox[i], 1e-9);
            Assert.Equal(expected[i], bounds[i], 1e-9);
        }

        var center = tileJson.GetProperty("center");
        Assert.Equal((expected[0] + expected[2]) / 2, center[0].GetDouble(), 1e-9);
        Assert.Equal((expected[1] + expected[3]) / 2, center[1].GetDouble(), 1e-9);
        Assert.True(tileJson.GetProperty("vector_layers")[0].GetProperty("fields").TryGetProperty("patrol_status", out _));
    }

    /// <summary>Part 2: bbox in any listed CRS, in its axis order — EPSG:4326 latitude first, a Gauss-Krüger zone northing
    /// first in metres — selects what PostGIS finds in that box.</summary>
    [Fact]
    public async Task Items_BboxInEpsg4326AndInAGaussKrugerZone_SelectWhatPostgisFinds()
    {
        var crs84 = await GetJsonAsync("/ogc/collections/shafts/items?bbox=105.70,29.10,105.90,29.30&limit=1000");
        var latFirst = await GetJsonAsync("/ogc/collections/shafts/items?bbox=29.10,105.70,29.30,105.90&limit=1000&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326");

        // A box in CGCS2000 / 3-degree Gauss-Kruger CM 105E (EPSG:4544) around the county's shafts, as PostGIS sees it there.
        var (minN, minE, maxN, maxE) = (3_240_000.0, 560_000.0, 3_260_000.0, 590_000.0);
        var expected = await county.Db.ScalarAsync<long>(FormattableString.Invariant(
            $"SELECT count(*) FROM sealed_shaft WHERE ST_Intersects(ST_Transform(geom, 4544), ST_MakeEnvelope({minE}, {minN}, {maxE}, {maxN}, 4544))"));
        var zone = await GetJsonAsync(FormattableString.Invariant(
            $"/ogc/collections/shafts/items?bbox={minN},{minE},{maxN},{maxE}&limit=1000&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4544"));

        Assert.Equal(crs84.GetProperty("numberReturned").GetInt64(), latFirst.GetProperty("numberReturned").GetInt64());
        Assert.True(expected > 0, "the test box holds no shaft");
        Assert.Equal(expected, zone.GetProperty("numberReturned").GetInt64());
    }

    /// <summary>Alarms as a read-only collection for QGIS: filtered by kind, selected by datetime on when they started (a
    /// date is a China day), scoped to a coordinator's towns, placed at their shaft.</summary>
    [Fact]
    public async Task AlarmsCollection_FiltersByKindAndDatetime_AndIsScoped()
    {
        const string kind = "seal_finding";
        string[] shafts = ["YC-CM-001-J1", "YC-CM-004-J1"];
        foreach (var (shaft, started) in shafts.Zip(new[] { "2026-11-03T10:00:00+08:00", "2026-11-05T10:00:00+08:00" }))
        {
            await county.Db.ScalarAsync<long>("""
                INSERT INTO alarm (kind, severity, object_kind, object_id, town_id, title, started_at, last_seen_at, evidence)
                SELECT @kind, 'orange', 'sealed_shaft', s.id, m.town_id, 'ogc ' || s.code, @started::timestamptz, @started::timestamptz, '{}'
                FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = @shaft RETURNING id
                """, ("kind", kind), ("shaft", shaft), ("started", started));
        }

        var all = await GetJsonAsync($"/ogc/collections/alarms/items?kind={kind}&limit=100");
        var thirdOfNovember = await GetJsonAsync($"/ogc/collections/alarms/items?kind={kind}&datetime=2026-11-03&limit=100");
        var town = await county.Db.ScalarAsync<string>(
            "SELECT t.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE s.code = 'YC-CM-004-J1'");
        await using var app = new GeoMineApplication(county.Db);
        var coordinator = await app.CreateClientAsAsync("ogc-coordinator", GeoMine.Viewer.Access.Roles.TownCoordinator, town);
        var scoped = JsonDocument.Parse(await coordinator.GetStringAsync($"/ogc/collections/alarms/items?kind={kind}&limit=100")).RootElement;

        Assert.Equal(await county.Db.ScalarAsync<long>($"SELECT count(*) FROM alarm WHERE kind = '{kind}'"), all.GetProperty("numberMatched").GetInt64());
        Assert.Equal(["ogc YC-CM-001-J1"], thirdOfNovember.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("title").GetString()));
        Assert.All(scoped.GetProperty("features").EnumerateArray(), f => Assert.Equal(town, f.GetProperty("properties").GetProperty("town").GetString()));
        Assert.Contains(scoped.GetProperty("features").EnumerateArray(), f => f.GetProperty("properties").GetProperty("title").GetString() == "ogc YC-CM-004-J1");
        var first = all.GetProperty("features").EnumerateArray().First(f => f.GetProperty("properties").GetProperty("title").GetString() == "ogc YC-CM-001-J1");
        Assert.False(first.GetProperty("properties").TryGetProperty("_town_id", out _));
        Assert.Equal(await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = 'YC-CM-001-J1'"),
            first.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble(), 1e-9);
    }

    /// <summary>Patrol records as a collection: where the phone was when the record was filed, selected by its day.</summary>
    [Fact]
    public async Task PatrolRecordsCollection_PlacesARecordWhereThePhoneWas_SelectedByItsDay()
    {
        await county.Db.ExecuteAsync("""
            INSERT INTO patrol_record (shaft_id, person_name, kind, recorded_at, geom, accuracy_m, distance_m, at_site, seal_condition)
            SELECT s.id, '赵六', 'on_site', '2026-11-20T09:30:00+08:00', ST_SetSRID(ST_MakePoint(ST_X(s.geom) + 0.0001, ST_Y(s.geom)), 4490), 5, 9.6, true, 'intact'
            FROM sealed_shaft s WHERE s.code = 'YC-CM-001-J1'
            """);

        var day = await GetJsonAsync("/ogc/collections/patrol-records/items?datetime=2026-11-20&person=赵六");
        var other = await GetJsonAsync("/ogc/collections/patrol-records/items?datetime=2026-11-21&person=赵六");

        var record = Assert.Single(day.GetProperty("features").EnumerateArray());
        Assert.Equal("YC-CM-001-J1", record.GetProperty("properties").GetProperty("shaft").GetString());
        Assert.Equal(await county.Db.ScalarAsync<double>("SELECT ST_X(geom) + 0.0001 FROM sealed_shaft WHERE code = 'YC-CM-001-J1'"),
            record.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble(), 1e-9);
        Assert.Empty(other.GetProperty("features").EnumerateArray());
    }

    /// <summary>Tracks as a collection: a phone's day sent through the real feed becomes lines cut at the gap, one vertex per
    /// fix in time order, each as long as PostGIS measures the sent points on the ellipsoid; selected by device and day, scoped
    /// to the town holding the first fix; each line is also served alone at its id.</summary>
    [Fact]
    public async Task PatrolTracksCollection_LinesThroughTheFixes_CutAtTheGap_ScopedToTheTownOfTheirStart()
    {
        const string device = "ogc-track-phone";
        var fixes = await SendTrackAsync(county, device);

        var day = await GetJsonAsync($"/ogc/collections/patrol-tracks/items?device={device}&datetime=2026-11-18");
        var nextDay = await GetJsonAsync($"/ogc/collections/patrol-tracks/items?device={device}&datetime=2026-11-19");

        var lines = day.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(2, lines.Count);
        Assert.Empty(nextDay.GetProperty("features").EnumerateArray());
        foreach (var (line, part) in lines.Zip(new[] { fixes[..5], fixes[5..] }))
        {
            Assert.Equal("LineString", line.GetProperty("geometry").GetProperty("type").GetString());
            var vertices = line.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().Select(c => (c[0].GetDouble(), c[1].GetDouble())).ToList();
            Assert.Equal(part.Count, vertices.Count);
            foreach (var (v, f) in vertices.Zip(part))
            {
                Assert.Equal(f.Lon, v.Item1, 1e-9);
                Assert.Equal(f.Lat, v.Item2, 1e-9);
            }

            var wkt = "LINESTRING(" + string.Join(",", part.Select(f => FormattableString.Invariant($"{f.Lon} {f.Lat}"))) + ")";
            var metres = await county.Db.ScalarAsync<double>("SELECT ST_Length(ST_GeomFromText(@wkt, 4490)::geography)", ("wkt", wkt));
            Assert.Equal(metres, line.GetProperty("properties").GetProperty("metres").GetDouble(), 0.1);
            Assert.Equal(part.Count, line.GetProperty("properties").GetProperty("fixes").GetInt32());
            Assert.Equal("孙七", line.GetProperty("properties").GetProperty("person").GetString());
        }

        var id = lines[0].GetProperty("id").GetString()!;
        var one = await GetJsonAsync($"/ogc/collections/patrol-tracks/items/{Uri.EscapeDataString(id)}");
        Assert.Equal(id, one.GetProperty("id").GetString());
        Assert.Equal(5, one.GetProperty("geometry").GetProperty("coordinates").GetArrayLength());

        var town = await county.Db.ScalarAsync<string>(
            "SELECT t.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE s.code = 'YC-CM-001-J1'");
        var otherTown = await county.Db.ScalarAsync<string>("SELECT code FROM jurisdiction WHERE level = 'town' AND code <> @t ORDER BY code LIMIT 1", ("t", town));
        await using var scoped = new GeoMineApplication(county.Db);
        var own = await scoped.CreateClientAsAsync("track-own", GeoMine.Viewer.Access.Roles.TownCoordinator, town);
        var other = await scoped.CreateClientAsAsync("track-other", GeoMine.Viewer.Access.Roles.TownCoordinator, otherTown);
        Assert.Equal(2, JsonDocument.Parse(await own.GetStringAsync($"/ogc/collections/patrol-tracks/items?device={device}")).RootElement.GetProperty("numberMatched").GetInt64());
        Assert.Equal(0, JsonDocument.Parse(await other.GetStringAsync($"/ogc/collections/patrol-tracks/items?device={device}")).RootElement.GetProperty("numberMatched").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/ogc/collections/patrol-tracks/items/{Uri.EscapeDataString(id)}")).StatusCode);
    }

    /// <summary>A phone (owner 孙七) walks from shaft YC-CM-001-J1 on 18 November 2026 (China time), its fixes sent through the
    /// real Traccar feed: 5 a minute apart, then after an hour without a fix 3 more; then the patrol-visits job measures the
    /// day. Returns the fixes sent (longitude, latitude in EPSG:4490).</summary>
    internal static async Task<List<(DateTimeOffset Time, double Lon, double Lat)>> SendTrackAsync(SampleCountyFixture county, string device)
    {
        var (lon, lat) = (await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = 'YC-CM-001-J1'"),
            await county.Db.ScalarAsync<double>("SELECT ST_Y(geom) FROM sealed_shaft WHERE code = 'YC-CM-001-J1'"));
        var db = GeoDataSource.For(county.Db.ConnectionString);
        await new GeoMine.Patrol.Devices.DeviceRegistry(db, TimeProvider.System).AddAsync(device, "patrol_phone", ownerName: "孙七");
        var start = new DateTimeOffset(2026, 11, 18, 9, 0, 0, TimeSpan.FromHours(8));
        var fixes = Enumerable.Range(0, 5).Select(i => (Time: start.AddMinutes(i), Lon: lon + 0.0004 * i, Lat: lat + 0.0001 * i * i))
            .Concat(Enumerable.Range(0, 3).Select(i => (Time: start.AddMinutes(65 + i), Lon: lon - 0.0003 * i, Lat: lat - 0.0002 * i))).ToList();
        await using (var app = new GeoMineApplication(county.Db))
        {
            var feed = app.CreateClient(new() { BaseAddress = new Uri("http://localhost:5055") });
            foreach (var f in fixes)
            {
                var sent = await feed.GetAsync(FormattableString.Invariant($"/?id={device}&timestamp={f.Time.ToUnixTimeSeconds()}&lat={f.Lat}&lon={f.Lon}&accuracy=5"));
                Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            }
        }

        await new GeoMine.Patrol.Visits.PatrolVisitService(db, Microsoft.Extensions.Options.Options.Create(new GeoMine.Patrol.Visits.VisitOptions { CommitLag = TimeSpan.Zero })).RunAsync(DateTime.UtcNow);
        await new GeoMine.Patrol.Coverage.TrackDayService(db, Microsoft.Extensions.Options.Options.Create(new GeoMine.Patrol.Coverage.CoverageOptions())).RefreshAsync(TimeSpan.MaxValue);
        return fixes;
    }
}
