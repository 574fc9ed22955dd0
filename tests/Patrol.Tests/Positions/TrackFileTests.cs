using GeoMine.Geo.Import;
using GeoMine.Patrol.Positions;
using GeoMine.TestSupport;

namespace GeoMine.Patrol.Tests.Positions;

public sealed class TrackFileTests
{
    private const string PhoneGpx = """
        <?xml version="1.0" encoding="UTF-8"?>
        <gpx version="1.1" creator="OsmAnd~ 4.8" xmlns="http://www.topografix.com/GPX/1/1">
          <trk><name>巡查 2026-11-02</name><trkseg>
            <trkpt lat="29.3512345" lon="105.9023456"><ele>312.4</ele><time>2026-11-02T01:00:00Z</time></trkpt>
            <trkpt lat="29.3512500" lon="105.9023600"><ele>312.9</ele><time>2026-11-02T01:00:05Z</time></trkpt>
          </trkseg><trkseg>
            <trkpt lat="29.3513000" lon="105.9024000"><time>2026-11-02T01:10:00.500Z</time></trkpt>
          </trkseg></trk>
        </gpx>
        """;

    [Fact]
    public async Task ReadGpx_PhoneTrackWithTwoSegments_KeepsEveryPointTimeAndElevation()
    {
        var path = Path.Combine(TestPaths.NewOutputDirectory("gpx"), "phone.gpx");
        await File.WriteAllTextAsync(path, PhoneGpx);

        var fixes = await TrackFile.ReadAsync(path, "phone-1");

        Assert.Equal(3, fixes.Count);
        Assert.All(fixes, f => Assert.Equal("phone-1", f.DeviceKey));
        Assert.Equal((105.9023456, 29.3512345), (fixes[0].Longitude, fixes[0].Latitude));
        Assert.Equal(new DateTime(2026, 11, 2, 1, 0, 5, DateTimeKind.Utc), fixes[1].FixTimeUtc);
        Assert.Equal(new DateTime(2026, 11, 2, 1, 10, 0, 500, DateTimeKind.Utc), fixes[2].FixTimeUtc);
        Assert.Equal([312.4, 312.9, null], fixes.Select(f => f.AltitudeMetres));
    }

    [Fact]
    public async Task ReadGpx_WithoutDevice_FailsAskingForIt()
    {
        var path = Path.Combine(TestPaths.NewOutputDirectory("gpx"), "phone.gpx");
        await File.WriteAllTextAsync(path, PhoneGpx);

        var error = await Assert.ThrowsAsync<ImportException>(() => TrackFile.ReadAsync(path, null));

        Assert.Contains("--device", error.Message);
    }

    [Fact]
    public async Task ReadCsv_BadLongitude_FailsNamingTheLine()
    {
        var path = Path.Combine(TestPaths.NewOutputDirectory("csv"), "fixes.csv");
        await File.WriteAllTextAsync(path, "device_id,time,lon,lat,accuracy\nexc-1,2026-11-10T02:00:00Z,105.91,29.31,5\nexc-1,2026-11-10T02:00:05Z,105.9x,29.31,5\n");

        var error = await Assert.ThrowsAsync<ImportException>(() => TrackFile.ReadAsync(path, null));

        Assert.Contains("line 3: lon '105.9x' is not a number", error.Message);
    }

    [Fact]
    public async Task ReadCsv_ARowWithMoreValuesThanTheHeader_IsRefusedNamingTheLine()
    {
        // "29,35" written with a decimal comma: four values under a four-column header would put 35 in lon and 105 in lat.
        var path = Path.Combine(TestPaths.NewOutputDirectory("csv"), "comma.csv");
        await File.WriteAllTextAsync(path, "device_id,time,lat,lon\nexc-1,2026-11-10T02:00:00Z,29.31,105.91\nexc-1,2026-11-10T02:00:05Z,29,35,105,9\n");

        var error = await Assert.ThrowsAsync<ImportException>(() => TrackFile.ReadAsync(path, null));

        Assert.Contains("line 3: 6 values, but the header has 4 columns", error.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("29,35")]
    [InlineData("")]
    [InlineData("NaN")]
    public async Task ReadGpx_APointWhoseLatitudeIsNotDecimalDegrees_IsRefusedNamingThePoint(string lat)
    {
        var path = Path.Combine(TestPaths.NewOutputDirectory("gpx"), "bad.gpx");
        await File.WriteAllTextAsync(path, PhoneGpx.Replace("lat=\"29.3512500\"", $"lat=\"{lat}\"", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<ImportException>(() => TrackFile.ReadAsync(path, "phone-1"));

        Assert.Contains($"track point 2 (line 5): lat '{lat}'", error.Message);
    }

    [Fact]
    public async Task ReadCsv_SavedAsGbkByExcel_IsReadAndTheEncodingIsReported()
    {
        var path = Path.Combine(TestPaths.NewOutputDirectory("csv"), "gbk.csv");
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        await File.WriteAllBytesAsync(path, System.Text.Encoding.GetEncoding(936).GetBytes(
            "设备编号,时间,经度,纬度\n巡查手机一号,2026-11-10T02:00:00Z,105.91,29.31\n"));
        var notes = new List<string>();

        var fixes = await TrackFile.ReadAsync(path, null, notes: notes);

        Assert.Equal("巡查手机一号", Assert.Single(fixes).DeviceKey);
        Assert.Equal((105.91, 29.31), (fixes[0].Longitude, fixes[0].Latitude));
        Assert.Contains(notes, n => n.Contains("GB18030", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadGpx_AnUntimedPoint_FailsNamingItOrIsSkippedAndListedWithSkipInvalid()
    {
        // The second of the three points loses its time.
        var points = PhoneGpx.Split("<trkpt");
        points[2] = System.Text.RegularExpressions.Regex.Replace(points[2], "<time>[^<]*</time>", "");
        var path = Path.Combine(TestPaths.NewOutputDirectory("gpx"), "untimed.gpx");
        await File.WriteAllTextAsync(path, string.Join("<trkpt", points));

        var error = await Assert.ThrowsAsync<ImportException>(() => TrackFile.ReadAsync(path, "phone-1"));
        var skipped = new List<string>();
        var fixes = await TrackFile.ReadAsync(path, "phone-1", skipped: skipped);

        Assert.Contains("track point 2 (line 5) has no time", error.Message);
        Assert.Equal(["track point 2 (line 5) has no time"], skipped);
        Assert.Equal([new DateTime(2026, 11, 2, 1, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 2, 1, 10, 0, 500, DateTimeKind.Utc)], fixes.Select(f => f.FixTimeUtc));
    }
}
