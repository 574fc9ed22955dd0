using System.Globalization;
using System.Text;
using GeoMine.Geo.Storage;
using GeoMine.TestSupport;

namespace GeoMine.Viewer.Tests.Ogc;

/// <summary>
/// <c>geomine export</c> of what happened, as officials send it on: a phone's tracks as GPX tracks, alarms with their
/// evidence in a CSV Excel reads (BOM, China time), visits in xlsx, patrol records in a typed GeoPackage — each read back by
/// GDAL and compared with PostgreSQL.
/// </summary>
public sealed class ActivityExportTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private Dictionary<string, string> Db => new() { ["GEOMINE_DB"] = county.Db.ConnectionString };

    private async Task<string> ExportAsync(string collection, string format, params string[] more)
    {
        var file = Path.Combine(TestPaths.NewOutputDirectory($"export-{collection}"), $"{collection}.{format}");
        var (code, output) = await CliProcess.RunAsync(["export", collection, "--format", format, "--out", file, .. more], environment: Db);
        Assert.True(code == 0, output);
        return file;
    }

    private static async Task<long> CountAsync(string file, string layer)
    {
        var info = await ExternalCommand.RunCheckedAsync("ogrinfo", ["-ro", "-so", file, layer]);
        return long.Parse(info.Split('\n').Single(l => l.StartsWith("Feature Count:", StringComparison.Ordinal))["Feature Count:".Length..].Trim(),
            CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Tracks_AsGpxTracks_OfTheChosenDays_EveryFixAPoint()
    {
        var fixes = await OgcFeaturesApiTests.SendTrackAsync(county, "export-track-phone");

        var day = await ExportAsync("patrol-tracks", "gpx", "--from", "2026-11-18", "--to", "2026-11-18");
        var later = await ExportAsync("patrol-tracks", "gpx", "--from", "2026-11-19");

        // GDAL reads a GPX's <trk> as the "tracks" layer and each <trkpt> as a "track_points" feature; each point has its time.
        Assert.Equal(2, await CountAsync(day, "tracks"));
        Assert.Equal(fixes.Count, await CountAsync(day, "track_points"));
        var gpx = await File.ReadAllTextAsync(day);
        Assert.Contains("<name>export-track-phone@2026-11-18T01:00:00.000Z</name>", gpx, StringComparison.Ordinal);
        Assert.All(fixes, f => Assert.Contains($"<time>{f.Time:yyyy-MM-dd'T'HH:mm:ss}+08:00</time>", gpx, StringComparison.Ordinal));
        Assert.DoesNotContain("<trk>", await File.ReadAllTextAsync(later), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alarms_AsCsv_WithABom_ChinaTime_AndTheirEvidence()
    {
        await county.Db.ExecuteAsync("""
            INSERT INTO alarm (kind, severity, object_kind, object_id, town_id, title, started_at, last_seen_at, evidence)
            SELECT 'seal_finding', 'orange', 'sealed_shaft', s.id, m.town_id, '导出 ' || s.code, '2026-11-03T02:00:00Z', '2026-11-03T02:00:00Z',
                   '{"finding": "封条破损"}'
            FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = 'YC-CM-001-J1'
            """);

        var file = await ExportAsync("alarms", "csv");
        var bytes = await File.ReadAllBytesAsync(file);
        var lines = Encoding.UTF8.GetString(bytes).Split('\n');

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Equal(await county.Db.ScalarAsync<long>("SELECT count(*) FROM alarm"), await CountAsync(file, "alarms"));
        var row = Assert.Single(lines, l => l.Contains("导出 YC-CM-001-J1", StringComparison.Ordinal));
        Assert.Contains("2026-11-03T10:00:00+08:00", row, StringComparison.Ordinal); // 02:00 UTC is 10:00 in China
        Assert.Contains("封条破损", row, StringComparison.Ordinal);
        Assert.DoesNotContain("_town_id", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task VisitsAsXlsx_AndRecordsAsTypedGeoPackage_CountsEqualTheDatabase()
    {
        await county.Db.ExecuteAsync("""
            INSERT INTO patrol_visit (shaft_id, arrived_at, left_at, source)
            SELECT id, '2026-11-05T01:00:00Z', '2026-11-05T01:20:00Z', 'record' FROM sealed_shaft WHERE code = 'YC-CM-002-J1';
            INSERT INTO patrol_record (shaft_id, person_name, kind, recorded_at, geom, accuracy_m, distance_m, at_site, seal_condition)
            SELECT s.id, '钱八', 'on_site', '2026-11-05T01:05:00Z', s.geom, 5, 0, true, 'intact' FROM sealed_shaft s WHERE s.code = 'YC-CM-002-J1';
            """);

        var visits = await ExportAsync("patrol-visits", "xlsx");
        var records = await ExportAsync("patrol-records", "gpkg");

        Assert.Equal(await county.Db.ScalarAsync<long>("SELECT count(*) FROM patrol_visit"), await CountAsync(visits, "patrol_visits"));
        Assert.Equal(await county.Db.ScalarAsync<long>("SELECT count(*) FROM patrol_record"), await CountAsync(records, "patrol_records"));
        var schema = await ExternalCommand.RunCheckedAsync("ogrinfo", ["-ro", "-so", records, "patrol_records"]);
        Assert.Contains("recorded_at: DateTime", schema, StringComparison.Ordinal);
        Assert.Contains("Geometry: Point", schema, StringComparison.Ordinal);
        var rows = await ExternalCommand.RunCheckedAsync("ogr2ogr", ["-f", "CSV", "/vsistdout/", visits]);
        Assert.Contains(rows.Split('\n'), l => l.Contains("YC-CM-002-J1", StringComparison.Ordinal) && l.Contains("2026-11-05T09:00:00+08:00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APeriodOnALayerWithoutTime_OrAnImpossibleDay_IsRefusedByName()
    {
        var (code, output) = await CliProcess.RunAsync(["export", "shafts", "--format", "csv", "--out", "/tmp/never.csv", "--from", "2026-11-01"], environment: Db);
        var (badCode, badOutput) = await CliProcess.RunAsync(["export", "alarms", "--format", "csv", "--out", "/tmp/never.csv", "--from", "2026-13-01"], environment: Db);

        Assert.Equal(1, code);
        Assert.Contains("shafts has no time", output, StringComparison.Ordinal);
        Assert.Equal(1, badCode);
        Assert.Contains("--from '2026-13-01'", badOutput, StringComparison.Ordinal);
        Assert.False(File.Exists("/tmp/never.csv"));
    }
}
