using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using GeoMine.Patrol.Devices;
using GeoMine.TestSupport;
using GeoMine.Viewer.Access;
using Npgsql;

namespace GeoMine.Viewer.Tests.Records;

/// <summary>
/// A record typed by a signed-in user is a visit only when a fix of the named person's phone places them at the shaft around
/// the record's time; records are taken only within [now − 24 h, now + 5 min]; a time without offset is China time; what is
/// stored can be read back (the 201's Location, the list, the photo) within the reader's towns. Distances and points come from
/// PostGIS (ST_Project on the CGCS2000 ellipsoid), times from the test's own clock arithmetic.
/// </summary>
public sealed class PatrolRecordEvidenceTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private const string Person = "孙八";
    private const string PersonPhone = "phone-sun";
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    // The 8-byte PNG signature and an IHDR chunk header: enough for content sniffing.
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3];

    private async Task<(double Lon, double Lat)> NorthOfAsync(string shaft, double metres)
    {
        const string at = "ST_Project(geography(geom), @m, 0)::geometry";
        return (await county.Db.ScalarAsync<double>($"SELECT ST_X({at}) FROM sealed_shaft WHERE code = @c", ("m", metres), ("c", shaft)),
                await county.Db.ScalarAsync<double>($"SELECT ST_Y({at}) FROM sealed_shaft WHERE code = @c", ("m", metres), ("c", shaft)));
    }

    private static string Iso(DateTimeOffset t) => t.ToOffset(China).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static MultipartFormDataContent Form(string shaft, (double Lon, double Lat) at, string time, string person = Person, byte[]? photo = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(shaft), "shaft" }, { new StringContent(person), "person" }, { new StringContent(time), "time" },
            { new StringContent(at.Lon.ToString("R", CultureInfo.InvariantCulture)), "lon" },
            { new StringContent(at.Lat.ToString("R", CultureInfo.InvariantCulture)), "lat" },
            { new StringContent("5"), "accuracy" }, { new StringContent("intact"), "seal" },
        };
        if (photo is not null)
        {
            var file = new ByteArrayContent(photo);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "photo", "seal.png");
        }

        return form;
    }

    /// <summary>One fix of <paramref name="device"/> through the real batch feed.</summary>
    private static async Task SendFixAsync(GeoMineApplication app, string device, DateTimeOffset at, (double Lon, double Lat) where)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/positions",
            new[] { new { device_id = device, time = at.ToString("O", CultureInfo.InvariantCulture), lon = where.Lon, lat = where.Lat, accuracy_m = 5 } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task RegisterPhoneAsync(string key, string owner)
    {
        await using var db = GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString);
        await new DeviceRegistry(db, TimeProvider.System).AddAsync(key, "patrol_phone", ownerName: owner);
    }

    private Task<long> RecordVisitsAsync(string shaft) => county.Db.ScalarAsync<long>(
        "SELECT count(*) FROM patrol_visit v JOIN sealed_shaft s ON s.id = v.shaft_id WHERE s.code = @s AND v.source = 'record'", ("s", shaft));

    [Fact]
    public async Task TypedRecord_WithThePersonsPhoneAtTheShaftFiveMinutesEarlier_IsCorroboratedAndAVisit()
    {
        const string shaft = "YC-CM-006-J1";
        await using var app = new GeoMineApplication(county.Db);
        await RegisterPhoneAsync(PersonPhone, Person);
        var recordedAt = DateTimeOffset.UtcNow.AddHours(-2);
        await SendFixAsync(app, PersonPhone, recordedAt.AddMinutes(-5), await NorthOfAsync(shaft, 20));

        var response = await app.CreateClient().PostAsync("/api/patrol-records", Form(shaft, await NorthOfAsync(shaft, 10), Iso(recordedAt)));

        Assert.True(HttpStatusCode.Created == response.StatusCode, await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("phone_fix", json.RootElement.GetProperty("corroboration").GetString());
        Assert.True(json.RootElement.GetProperty("counts_as_visit").GetBoolean());
        Assert.Equal(1, await RecordVisitsAsync(shaft));
        Assert.Equal(20, await county.Db.ScalarAsync<double>("SELECT corroborating_fix_distance_m FROM patrol_record ORDER BY id DESC LIMIT 1"), 0.5);
    }

    [Theory]
    [InlineData(-30, 20, PersonPhone, 20)]   // the phone was there, but half an hour before the record
    [InlineData(-5, 400, PersonPhone, 21)]   // in time, but 400 m away
    [InlineData(-5, 20, "phone-other", 22)]  // someone else's phone at the shaft
    public async Task TypedRecord_WithoutAFixThatPlacesThePersonThere_IsKeptNotCorroboratedAndNoVisit(
        int fixMinutes, double fixMetres, string fixDevice, int shaftIndex)
    {
        var shaft = await county.Db.ScalarAsync<string>("SELECT code FROM sealed_shaft ORDER BY code OFFSET @n LIMIT 1", ("n", shaftIndex));
        await using var app = new GeoMineApplication(county.Db);
        await RegisterPhoneAsync(PersonPhone, Person);
        await RegisterPhoneAsync("phone-other", "周九");
        var recordedAt = DateTimeOffset.UtcNow.AddHours(-3);
        await SendFixAsync(app, fixDevice, recordedAt.AddMinutes(fixMinutes), await NorthOfAsync(shaft, fixMetres));

        var response = await app.CreateClient().PostAsync("/api/patrol-records", Form(shaft, await NorthOfAsync(shaft, 10), Iso(recordedAt)));

        Assert.True(HttpStatusCode.Created == response.StatusCode, await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("at_site").GetBoolean());
        Assert.Equal("none", json.RootElement.GetProperty("corroboration").GetString());
        Assert.Equal(0, await RecordVisitsAsync(shaft));
    }

    [Theory]
    [InlineData(-25 * 60)] // a day and an hour old
    [InlineData(10)]       // ten minutes ahead of the server's clock
    public async Task Record_TimedOutsideTheWindow_400NamingTheTimeAndNothingStored(int minutesFromNow)
    {
        await using var app = new GeoMineApplication(county.Db);
        var before = await county.Db.ScalarAsync<long>("SELECT count(*) FROM patrol_record");

        var response = await app.CreateClient().PostAsync("/api/patrol-records",
            Form("YC-CM-007-J1", await NorthOfAsync("YC-CM-007-J1", 10), Iso(DateTimeOffset.UtcNow.AddMinutes(minutesFromNow))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("time:", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await county.Db.ScalarAsync<long>("SELECT count(*) FROM patrol_record"));
    }

    [Fact]
    public async Task Record_TimeWithoutOffset_IsChinaTime_AndReadsBackThroughItsLocationAndPhoto()
    {
        await using var app = new GeoMineApplication(county.Db);
        // Hand arithmetic: China wall-clock time = UTC + 8 h, written without an offset.
        var utc = DateTime.UtcNow.AddMinutes(-90);
        utc = utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond));
        var wallClock = utc.AddHours(8).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

        var created = await app.CreateClient().PostAsync("/api/patrol-records",
            Form("YC-CM-008-J1", await NorthOfAsync("YC-CM-008-J1", 10), wallClock, photo: Png));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var stored = await county.Db.ScalarAsync<DateTime>("SELECT recorded_at FROM patrol_record ORDER BY id DESC LIMIT 1");
        Assert.Equal(utc, stored.ToUniversalTime());

        var location = created.Headers.Location!.ToString();
        var record = await app.CreateClient().GetFromJsonAsync<JsonElement>(location);
        Assert.Equal("YC-CM-008-J1", record.GetProperty("shaft").GetString());
        Assert.Equal(Iso(new DateTimeOffset(utc, TimeSpan.Zero)), record.GetProperty("recorded_at").GetString());
        Assert.False(record.GetProperty("corroborated").GetBoolean());
        Assert.Equal(TestUsers.Admin, record.GetProperty("filed_by").GetString());
        var photo = record.GetProperty("photos")[0];
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Png)), photo.GetProperty("sha256").GetString());

        var bytes = await app.CreateClient().GetAsync(photo.GetProperty("url").GetString());
        Assert.Equal("image/png", bytes.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Png, await bytes.Content.ReadAsByteArrayAsync());

        var listed = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/patrol-records?shaft=YC-CM-008-J1");
        Assert.Contains(listed.GetProperty("records").EnumerateArray(), r => r.GetProperty("id").GetInt64() == record.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task RecordsOfAnotherTown_AreNotThereForACoordinator_AndNotForAnonymous()
    {
        await using var app = new GeoMineApplication(county.Db);
        const string shaft = "YC-CM-009-J1";
        var created = await app.CreateClient().PostAsync("/api/patrol-records",
            Form(shaft, await NorthOfAsync(shaft, 10), Iso(DateTimeOffset.UtcNow.AddMinutes(-30)), photo: Png));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.ToString();
        var photoUrl = (await app.CreateClient().GetFromJsonAsync<JsonElement>(location)).GetProperty("photos")[0].GetProperty("url").GetString()!;
        var otherTown = await county.Db.ScalarAsync<string>("""
            SELECT t.code FROM jurisdiction t WHERE t.level = 'town'
              AND t.id <> (SELECT m.town_id FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = @s)
            ORDER BY t.code LIMIT 1
            """, ("s", shaft));
        var coordinator = await app.CreateClientAsAsync("coordinator-other-records", Roles.TownCoordinator, otherTown);

        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.GetAsync(location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.GetAsync(photoUrl)).StatusCode);
        var listed = await coordinator.GetFromJsonAsync<JsonElement>($"/api/patrol-records?shaft={shaft}");
        Assert.Empty(listed.GetProperty("records").EnumerateArray());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateAnonymousClient().GetAsync(location)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateAnonymousClient().GetAsync(photoUrl)).StatusCode);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("from=yesterday", "from")]
    public async Task ListingWithABadParameter_400NamingIt(string query, string field)
    {
        await using var app = new GeoMineApplication(county.Db);

        var response = await app.CreateClient().GetAsync($"/api/patrol-records?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"{field}:", await response.Content.ReadAsStringAsync());
    }
}
