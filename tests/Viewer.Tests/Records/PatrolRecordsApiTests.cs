using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GeoMine.TestSupport;

namespace GeoMine.Viewer.Tests.Records;

public sealed class PatrolRecordsApiTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    // The 8-byte PNG signature and an IHDR chunk header: enough for content sniffing.
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    /// <summary>A point <paramref name="metres"/> due north of a shaft, by PostGIS's geodesic ST_Project.</summary>
    private async Task<(double Lon, double Lat)> NorthOfAsync(string shaft, double metres)
    {
        const string at = "ST_Project(geography(geom), @m, 0)::geometry";
        var lon = await county.Db.ScalarAsync<double>($"SELECT ST_X({at}) FROM sealed_shaft WHERE code = @c", ("m", metres), ("c", shaft));
        var lat = await county.Db.ScalarAsync<double>($"SELECT ST_Y({at}) FROM sealed_shaft WHERE code = @c", ("m", metres), ("c", shaft));
        return (lon, lat);
    }

    /// <summary>An hour ago, as a phone would write it (with offset).</summary>
    private static readonly string AnHourAgo = DateTimeOffset.UtcNow.AddHours(-1).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    private static MultipartFormDataContent Form(string shaft, (double Lon, double Lat) at, string seal, params (string Name, byte[] Bytes)[] photos) =>
        Form(shaft, at, seal, "王五", AnHourAgo, photos);

    private static MultipartFormDataContent Form(
        string shaft, (double Lon, double Lat) at, string seal, string person, string time, params (string Name, byte[] Bytes)[] photos)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(shaft), "shaft" }, { new StringContent(person), "person" },
            { new StringContent(time), "time" },
            { new StringContent(at.Lon.ToString("R", System.Globalization.CultureInfo.InvariantCulture)), "lon" },
            { new StringContent(at.Lat.ToString("R", System.Globalization.CultureInfo.InvariantCulture)), "lat" },
            { new StringContent("6"), "accuracy" }, { new StringContent(seal), "seal" }, { new StringContent("现场检查"), "remarks" },
        };
        foreach (var (name, bytes) in photos)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg"); // the sender's claim is not trusted
            form.Add(file, "photo", name);
        }

        return form;
    }

    [Fact]
    public async Task Record_300MetresFromTheShaft_IsKeptButMarkedNotAtSite()
    {
        await using var app = new GeoMineApplication(county.Db);

        var response = await app.CreateClient().PostAsync("/api/patrol-records", Form("YC-CM-002-J1", await NorthOfAsync("YC-CM-002-J1", 300), "intact"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(json.RootElement.GetProperty("at_site").GetBoolean());
        Assert.Equal(300, json.RootElement.GetProperty("distance_metres").GetDouble(), 0.5);
        Assert.Equal(0, await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM patrol_visit v JOIN sealed_shaft s ON s.id = v.shaft_id WHERE s.code = 'YC-CM-002-J1' AND v.source = 'record'"));
    }

    [Fact]
    public async Task Record_AtSiteWithDamagedSeal_RaisesAnAlarmKeepsThePhoto_ButTypedWithoutAFixIsNoVisit()
    {
        await using var app = new GeoMineApplication(county.Db);

        var response = await app.CreateClient().PostAsync("/api/patrol-records",
            Form("YC-CM-003-J1", await NorthOfAsync("YC-CM-003-J1", 10), "damaged", ("seal.jpg", Png)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("at_site").GetBoolean());
        Assert.Equal("none", json.RootElement.GetProperty("corroboration").GetString());
        Assert.False(json.RootElement.GetProperty("counts_as_visit").GetBoolean());
        Assert.Equal(0, await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM patrol_visit v JOIN sealed_shaft s ON s.id = v.shaft_id WHERE s.code = 'YC-CM-003-J1' AND v.source = 'record'"));
        Assert.Equal("damaged", await county.Db.ScalarAsync<string>("SELECT status FROM sealed_shaft WHERE code = 'YC-CM-003-J1'"));
        Assert.Equal("orange", await county.Db.ScalarAsync<string>(
            "SELECT a.severity FROM alarm a JOIN sealed_shaft s ON s.id = a.object_id WHERE a.kind = 'seal_finding' AND a.object_kind = 'sealed_shaft' AND s.code = 'YC-CM-003-J1'"));
        Assert.Equal("image/png", await county.Db.ScalarAsync<string>(
            "SELECT p.media_type FROM patrol_record_photo p JOIN patrol_record r ON r.id = p.record_id JOIN sealed_shaft s ON s.id = r.shaft_id WHERE s.code = 'YC-CM-003-J1'"));
    }

    [Fact]
    public async Task Record_WithAFileThatIsNotAnImage_400NamingThePhotoAndNothingStored()
    {
        await using var app = new GeoMineApplication(county.Db);
        var before = await county.Db.ScalarAsync<long>("SELECT count(*) FROM patrol_record");

        var response = await app.CreateClient().PostAsync("/api/patrol-records",
            Form("YC-CM-004-J1", await NorthOfAsync("YC-CM-004-J1", 5), "intact", ("seal.jpg", "not an image"u8.ToArray())));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("photo seal.jpg", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await county.Db.ScalarAsync<long>("SELECT count(*) FROM patrol_record"));
    }

    [Fact]
    public async Task Record_ForAnUnknownShaft_400NamingTheShaft()
    {
        await using var app = new GeoMineApplication(county.Db);

        var response = await app.CreateClient().PostAsync("/api/patrol-records", Form("NO-SUCH", (105.9, 29.3), "intact"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("NO-SUCH", await response.Content.ReadAsStringAsync());
    }
}
