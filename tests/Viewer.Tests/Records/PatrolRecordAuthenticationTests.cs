using System.Globalization;
using System.Net;
using GeoMine.Patrol.Devices;
using GeoMine.Patrol.Responsibility;
using GeoMine.TestSupport;
using GeoMine.Viewer.Access;
using Npgsql;

namespace GeoMine.Viewer.Tests.Records;

/// <summary>
/// A patrol record is evidence that a shaft was visited, and a seal finding raises a red alarm: only a signed-in user within
/// their towns, or a registered patrol phone with its own token, in its owner's name and town, may file one. Each refusal
/// stores nothing: no record, no visit, no alarm, no change of the shaft's status, no device registered.
/// </summary>
public sealed class PatrolRecordAuthenticationTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>, IAsyncLifetime
{
    private const string Owner = "钱七";
    private const string Phone = "phone-qian";
    private const string PhoneToken = "qian-secret-token-1";

    private string _shaftA = "";
    private string _shaftB = "";
    private string _townA = "";
    private string _townB = "";

    public async Task InitializeAsync()
    {
        // Two shafts of two different towns, by PostGIS's town assignment of their mines.
        _shaftA = await county.Db.ScalarAsync<string>(
            "SELECT s.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE m.town_id IS NOT NULL ORDER BY s.code LIMIT 1");
        _townA = await TownOfAsync(_shaftA);
        _shaftB = await county.Db.ScalarAsync<string>("""
            SELECT s.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id
            WHERE t.code <> @a ORDER BY s.code LIMIT 1
            """, ("a", _townA));
        _townB = await TownOfAsync(_shaftB);

        await using var db = GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString);
        var devices = new DeviceRegistry(db, TimeProvider.System);
        if (await devices.FindAsync(Phone) is null)
        {
            await devices.AddAsync(Phone, "patrol_phone", ownerName: Owner, token: PhoneToken);
            await devices.AddAsync("phone-no-token", "patrol_phone", ownerName: Owner);
            await devices.AddAsync("phone-disabled", "patrol_phone", ownerName: Owner, token: "disabled-token");
            await devices.DisableAsync("phone-disabled");
            await devices.AddAsync("truck-qian", "vehicle", ownerName: Owner, token: "truck-token");
            await devices.AddAsync("phone-nobody", "patrol_phone", token: "nobody-token");
            await new ResponsibilityService(db).AssignAsync(ResponsibleObject.Shaft(_shaftA), ResponsibilityRole.ResponsiblePerson,
                new ContactPerson(Owner, null), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<string> TownOfAsync(string shaft) => county.Db.ScalarAsync<string>("""
        SELECT t.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE s.code = @s
        """, ("s", shaft));

    /// <summary>The attack as reported: an on-site record with the seal opened, 5 m from the shaft (PostGIS's ST_Project).</summary>
    private async Task<MultipartFormDataContent> RecordAsync(string shaft, string person, string? device, string seal = "opened")
    {
        var lon = await county.Db.ScalarAsync<double>("SELECT ST_X(ST_Project(geography(geom), 5, 0)::geometry) FROM sealed_shaft WHERE code = @c", ("c", shaft));
        var lat = await county.Db.ScalarAsync<double>("SELECT ST_Y(ST_Project(geography(geom), 5, 0)::geometry) FROM sealed_shaft WHERE code = @c", ("c", shaft));
        var form = new MultipartFormDataContent
        {
            { new StringContent(shaft), "shaft" }, { new StringContent(person), "person" }, { new StringContent("on_site"), "kind" },
            { new StringContent(seal), "seal" }, { new StringContent(lat.ToString("R", CultureInfo.InvariantCulture)), "lat" },
            { new StringContent(lon.ToString("R", CultureInfo.InvariantCulture)), "lon" },
            { new StringContent(DateTime.UtcNow.AddMinutes(-5).ToString("O", CultureInfo.InvariantCulture)), "time" },
        };
        if (device is not null)
        {
            form.Add(new StringContent(device), "device");
        }

        return form;
    }

    private static HttpRequestMessage Post(MultipartFormDataContent form, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/patrol-records") { Content = form };
        if (token is not null)
        {
            request.Headers.Add("X-GeoMine-Token", token);
        }

        return request;
    }

    /// <summary>What a forged record would leave behind, counted by PostGIS.</summary>
    private Task<string> TraceAsync(string shaft) => county.Db.ScalarAsync<string>("""
        SELECT concat_ws(' ',
            (SELECT count(*) FROM patrol_record r JOIN sealed_shaft s ON s.id = r.shaft_id WHERE s.code = @s),
            (SELECT count(*) FROM patrol_visit v JOIN sealed_shaft s ON s.id = v.shaft_id WHERE s.code = @s),
            (SELECT count(*) FROM alarm a JOIN sealed_shaft s ON s.id = a.object_id AND a.object_kind = 'sealed_shaft' WHERE s.code = @s),
            (SELECT status FROM sealed_shaft WHERE code = @s),
            (SELECT count(*) FROM device))
        """, ("s", shaft));

    private async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode expected, string mentions, string shaft, string traceBefore)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Contains(mentions, body);
        Assert.DoesNotContain("   at ", body);
        Assert.Equal(traceBefore, await TraceAsync(shaft));
    }

    [Fact]
    public async Task AnonymousRecord_NamingAnUnknownDevice_401AndNothingStored()
    {
        await using var app = new GeoMineApplication(county.Db);
        var before = await TraceAsync(_shaftA);

        var response = await app.CreateAnonymousClient().SendAsync(Post(await RecordAsync(_shaftA, "nobody", "ghost-device-xyz")));

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "ghost-device-xyz", _shaftA, before);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task AnonymousRecord_WithoutDevice_401AndNothingStored()
    {
        await using var app = new GeoMineApplication(county.Db);
        var before = await TraceAsync(_shaftA);

        var response = await app.CreateAnonymousClient().SendAsync(Post(await RecordAsync(_shaftA, Owner, null)));

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "sign in", _shaftA, before);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    [Theory]
    [InlineData(Phone, null, HttpStatusCode.Unauthorized, "X-GeoMine-Token")]
    [InlineData(Phone, "guessed", HttpStatusCode.Unauthorized, "X-GeoMine-Token")]
    [InlineData("phone-no-token", null, HttpStatusCode.Unauthorized, "no ingest token")]
    [InlineData("phone-no-token", "anything", HttpStatusCode.Unauthorized, "no ingest token")]
    [InlineData("phone-disabled", "disabled-token", HttpStatusCode.Forbidden, "disabled")]
    [InlineData("phone-disabled", "guessed", HttpStatusCode.Unauthorized, "X-GeoMine-Token")]
    [InlineData("truck-qian", "truck-token", HttpStatusCode.Forbidden, "not a patrol phone")]
    [InlineData("phone-nobody", "nobody-token", HttpStatusCode.Forbidden, "no registered owner")]
    public async Task PhoneRecord_WithoutAValidPhoneCredential_IsRefusedAndNothingStored(string device, string? token, HttpStatusCode expected, string mentions)
    {
        await using var app = new GeoMineApplication(county.Db);
        var before = await TraceAsync(_shaftA);

        var response = await app.CreateAnonymousClient().SendAsync(Post(await RecordAsync(_shaftA, Owner, device), token));

        await AssertRefusedAsync(response, expected, mentions, _shaftA, before);
    }

    [Fact]
    public async Task PhoneRecord_InSomeoneElsesName_403AndNothingStored()
    {
        await using var app = new GeoMineApplication(county.Db);
        var before = await TraceAsync(_shaftA);

        var response = await app.CreateAnonymousClient().SendAsync(Post(await RecordAsync(_shaftA, "张三", Phone), PhoneToken));

        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, $"belongs to {Owner}", _shaftA, before);
    }

    [Fact]
    public async Task PhoneRecord_ForAShaftOutsideTheOwnersTowns_404AndNothingStored()
    {
        await using var app = new GeoMineApplication(county.Db);
        var before = await TraceAsync(_shaftB);

        var response = await app.CreateAnonymousClient().SendAsync(Post(await RecordAsync(_shaftB, Owner, Phone), PhoneToken));

        await AssertRefusedAsync(response, HttpStatusCode.NotFound, _shaftB, _shaftB, before);
    }

    [Fact]
    public async Task CoordinatorOfAnotherTown_NamingThePhoneAndItsToken_404AndNothingStored()
    {
        await using var app = new GeoMineApplication(county.Db);
        var client = await app.CreateClientAsAsync("coordinator-b-records", Roles.TownCoordinator, _townB);
        var before = await TraceAsync(_shaftA);

        var response = await client.SendAsync(Post(await RecordAsync(_shaftA, Owner, Phone), PhoneToken));

        await AssertRefusedAsync(response, HttpStatusCode.NotFound, _shaftA, _shaftA, before);
    }

    [Fact]
    public async Task PhoneRecord_WithItsToken_InItsOwnersNameAndTown_IsStoredAsAVisit()
    {
        await using var app = new GeoMineApplication(county.Db);
        var visitsBefore = await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM patrol_visit v JOIN sealed_shaft s ON s.id = v.shaft_id WHERE s.code = @s AND v.source = 'record'", ("s", _shaftA));

        var response = await app.CreateAnonymousClient().SendAsync(Post(await RecordAsync(_shaftA, Owner, Phone, seal: "intact"), PhoneToken));

        Assert.True(HttpStatusCode.Created == response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(visitsBefore + 1, await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM patrol_visit v JOIN sealed_shaft s ON s.id = v.shaft_id WHERE s.code = @s AND v.source = 'record'", ("s", _shaftA)));
        Assert.Equal(Phone, await county.Db.ScalarAsync<string>(
            "SELECT d.device_key FROM patrol_record r JOIN device d ON d.id = r.device_id ORDER BY r.id DESC LIMIT 1"));
    }
}
