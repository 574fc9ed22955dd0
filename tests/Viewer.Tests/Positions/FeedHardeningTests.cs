using System.Net;
using System.Net.Http.Json;
using GeoMine.Patrol.Devices;
using GeoMine.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace GeoMine.Viewer.Tests.Positions;

/// <summary>
/// The feeds refuse what they cannot trust, and say so: a wrong device token is 401 with nothing stored, device ids are short
/// printable text, a reset phone clock (1900–1999) neither stores a fix nor creates partitions, Traccar Client's
/// <c>batt=-1</c> is "unknown", and an operator may refuse unknown devices as Traccar's <c>registerUnknown=false</c> does.
/// Counts come from PostgreSQL's own catalog and tables.
/// </summary>
public sealed class FeedHardeningTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    private Task<long> PositionsAsync(string key) => db.ScalarAsync<long>(
        "SELECT count(*) FROM position p JOIN device d ON d.id = p.device_id WHERE d.device_key = @k", ("k", key));

    private Task<long> PartitionsAsync() => db.ScalarAsync<long>("SELECT count(*) FROM pg_inherits WHERE inhparent = 'position'::regclass");

    [Fact]
    public async Task Fix_WithAWrongToken_401WithWwwAuthenticateAndNothingStored()
    {
        await using (var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString))
        {
            await new DeviceRegistry(source, TimeProvider.System).AddAsync("phone-tok", "patrol_phone", token: "right-token");
        }

        await using var app = new GeoMineApplication(db);
        var client = app.CreateAnonymousClient();

        var wrong = await client.GetAsync("/api/osmand?id=phone-tok&lat=29.35&lon=105.9&token=wrong-token");
        var batch = await client.PostAsJsonAsync("/api/positions", new[] { new { device_id = "phone-tok", time = "2026-12-01T08:00:00Z", lon = 105.9, lat = 29.35 } });
        var right = await client.GetAsync("/api/osmand?id=phone-tok&lat=29.36&lon=105.9&token=right-token");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.NotEmpty(wrong.Headers.WwwAuthenticate);
        Assert.Contains("X-GeoMine-Token", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, batch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(1, await PositionsAsync("phone-tok"));
    }

    [Theory]
    [InlineData(65)]
    [InlineData(8000)]
    public async Task DeviceId_LongerThan64Characters_400NamingTheField(int length)
    {
        await using var app = new GeoMineApplication(db);
        var before = await db.ScalarAsync<long>("SELECT count(*) FROM device");

        var response = await app.CreateAnonymousClient().GetAsync($"/api/osmand?id={new string('d', length)}&lat=29.35&lon=105.9");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id:", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await db.ScalarAsync<long>("SELECT count(*) FROM device"));
    }

    [Fact]
    public async Task TraccarBatteryMinusOne_IsStoredAsUnknown()
    {
        await using var app = new GeoMineApplication(db);

        var response = await app.CreateAnonymousClient().GetAsync("/api/osmand?id=phone-batt&timestamp=1796025600&lat=29.35&lon=105.9&batt=-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await db.ScalarAsync<bool>(
            "SELECT p.battery_pct IS NULL FROM position p JOIN device d ON d.id = p.device_id WHERE d.device_key = 'phone-batt'"));
    }

    [Fact]
    public async Task BatchDated1900To1949_IsRefusedAsTooOld_AndCreatesNoPartition()
    {
        await using var app = new GeoMineApplication(db);
        var partitions = await PartitionsAsync();
        // 600 fixes, one a month from January 1900: the attack that created 599 partitions.
        var fixes = Enumerable.Range(0, 600).Select(i => new
        {
            device_id = "phone-1900", time = new DateTime(1900, 1, 15, 0, 0, 0, DateTimeKind.Utc).AddMonths(i).ToString("O"), lon = 105.9, lat = 29.35,
        }).ToArray();

        var response = await app.CreateAnonymousClient().PostAsJsonAsync("/api/positions", fixes);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(600, body.GetProperty("rejected").GetProperty("too_old").GetInt32());
        Assert.Equal(partitions, await PartitionsAsync());
        Assert.Equal(0, await PositionsAsync("phone-1900"));
    }

    [Fact]
    public async Task UnknownDevicesRefused_AnUnregisteredIdIs403AndNotRegistered_ARegisteredOneIsStored()
    {
        await using (var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString))
        {
            await new DeviceRegistry(source, TimeProvider.System).AddAsync("phone-known", "patrol_phone");
        }

        await using var app = new GeoMineApplication(db).WithWebHostBuilder(b => b.UseSetting("Positions:UnknownDevices", "refuse"));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Remove("X-Api-Token");

        var unknown = await client.GetAsync("/api/osmand?id=phone-stranger&lat=29.35&lon=105.9");
        var known = await client.GetAsync("/api/osmand?id=phone-known&lat=29.35&lon=105.9");

        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM device WHERE device_key = 'phone-stranger'"));
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(1, await PositionsAsync("phone-known"));
    }

    [Fact]
    public async Task UnknownDevicesKept_ButAtMostTheHourlyAllowanceOfNewIdsPerAddress()
    {
        await using var app = new GeoMineApplication(db).WithWebHostBuilder(b => b.UseSetting("Positions:MaxNewUnknownDevicesPerAddressPerHour", "5"));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Remove("X-Api-Token");
        var fixes = Enumerable.Range(0, 8).Select(i => new { device_id = $"flood-{i}", time = "2026-12-01T08:00:00Z", lon = 105.9, lat = 29.35 }).ToArray();

        var response = await client.PostAsJsonAsync("/api/positions", fixes);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, await db.ScalarAsync<long>("SELECT count(*) FROM device WHERE device_key LIKE 'flood-%'"));
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(3, body.GetProperty("rejected").GetProperty("unknown_device").GetInt32());
    }
}
