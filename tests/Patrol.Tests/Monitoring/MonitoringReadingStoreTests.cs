using GeoMine.Patrol.Monitoring;
using GeoMine.TestSupport;
using static GeoMine.Patrol.Tests.Monitoring.MonitoringServices;

namespace GeoMine.Patrol.Tests.Monitoring;

/// <summary>Readings into PostGIS: all or nothing, idempotent re-sends, canonical units, every refusal naming its field.</summary>
public sealed class MonitoringReadingStoreTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private const string Pond = "YC-TP-01";

    private async Task<MonitoringServices> ServicesAsync()
    {
        var services = new MonitoringServices(county.Db.ConnectionString);
        await services.Registry.AddPointAsync(Pond, "WL-1", "water_level");
        await services.Registry.AddPointAsync(Pond, "PH-1", "phreatic_depth");
        await services.Registry.AddPointAsync(Pond, "SP-1", "seepage");
        return services;
    }

    private Task<long> CountAsync(string point) => county.Db.ScalarAsync<long>(
        "SELECT count(*) FROM monitoring_reading r JOIN monitoring_point p ON p.id = r.point_id WHERE p.code = @c", ("c", point));

    [Fact]
    public async Task StoreAsync_SameReadingSentTwice_StoredOnceAndTheSecondIsAcknowledged()
    {
        var services = await ServicesAsync();
        ReadingInput[] batch = [Reading(0, Pond, "WL-1", "water_level", May20(8), 312.4, "m")];

        var first = await services.Readings.StoreAsync(batch);
        var second = await services.Readings.StoreAsync(batch);

        Assert.Equal((1, 0), (first.Stored, first.AlreadyStored));
        Assert.Equal((0, 1), (second.Stored, second.AlreadyStored));
        Assert.Equal(312.4, await county.Db.ScalarAsync<double>(
            "SELECT value FROM monitoring_reading r JOIN monitoring_point p ON p.id = r.point_id WHERE p.code = 'WL-1' AND r.measured_at = @t",
            ("t", May20(8))));
    }

    [Fact]
    public async Task StoreAsync_SameReadingResentInAnotherUnit_IsTheSameReading()
    {
        var services = await ServicesAsync();
        await services.Readings.StoreAsync([Reading(0, Pond, "PH-1", "phreatic_depth", May20(9), 5.6, "m")]);

        var again = await services.Readings.StoreAsync([Reading(0, Pond, "PH-1", "phreatic_depth", May20(9), 560, "cm")]);

        Assert.Equal(1, again.AlreadyStored);
    }

    [Fact]
    public async Task StoreAsync_SamePointAndTimeWithAnotherValue_RefusedAndTheStoredValueKept()
    {
        var services = await ServicesAsync();
        await services.Readings.StoreAsync([Reading(0, Pond, "WL-1", "water_level", May20(10), 312.4, "m")]);

        var e = await Assert.ThrowsAsync<MonitoringInputException>(() =>
            services.Readings.StoreAsync([Reading(0, Pond, "WL-1", "water_level", May20(10), 313.0, "m")]));

        Assert.StartsWith("[0].value: point WL-1 at 2026-05-20 02:00:00Z is already stored with 312.4", e.Message);
        Assert.Equal(312.4, await county.Db.ScalarAsync<double>(
            "SELECT value FROM monitoring_reading r JOIN monitoring_point p ON p.id = r.point_id WHERE p.code = 'WL-1' AND r.measured_at = @t",
            ("t", May20(10))));
    }

    [Fact]
    public async Task StoreAsync_ValuesInOtherUnits_StoredInTheCanonicalUnit()
    {
        var services = await ServicesAsync();

        await services.Readings.StoreAsync(
        [
            Reading(0, Pond, "PH-1", "phreatic_depth", May20(11), 548, "cm"),
            Reading(1, Pond, "SP-1", "seepage", May20(11), 9, "m³/h"),
        ]);

        Assert.Equal(5.48, await county.Db.ScalarAsync<double>(
            "SELECT value FROM monitoring_reading r JOIN monitoring_point p ON p.id = r.point_id WHERE p.code = 'PH-1' AND r.measured_at = @t",
            ("t", May20(11))), 9);
        Assert.Equal(2.5, await county.Db.ScalarAsync<double>( // 9 m³/h = 9000 L / 3600 s
            "SELECT value FROM monitoring_reading r JOIN monitoring_point p ON p.id = r.point_id WHERE p.code = 'SP-1' AND r.measured_at = @t",
            ("t", May20(11))), 9);
    }

    [Fact]
    public async Task StoreAsync_BatchWithOneBadUnit_NothingStoredAndTheFieldNamed()
    {
        var services = await ServicesAsync();
        var before = await CountAsync("WL-1");

        var e = await Assert.ThrowsAsync<MonitoringInputException>(() => services.Readings.StoreAsync(
        [
            Reading(0, Pond, "WL-1", "water_level", May20(12), 312.1, "m"),
            Reading(1, Pond, "WL-1", "water_level", May20(12, 10), 312.2, "m"),
            Reading(2, Pond, "WL-1", "water_level", May20(12, 20), 1024, "ft"),
        ]));

        Assert.Equal("[2].unit: 'ft' is not a unit of water_level (accepted: m, cm, mm)", Assert.Single(e.Problems));
        Assert.Equal(before, await CountAsync("WL-1"));
    }

    [Fact]
    public async Task StoreAsync_UnknownPointOrPondOrWrongItem_EachNamedAndNothingStored()
    {
        var services = await ServicesAsync();
        var before = await CountAsync("WL-1");

        var e = await Assert.ThrowsAsync<MonitoringInputException>(() => services.Readings.StoreAsync(
        [
            Reading(0, Pond, "WL-1", "water_level", May20(13), 312.1, "m"),
            Reading(1, Pond, "WL-9", "water_level", May20(13), 312.1, "m"),
            Reading(2, "YC-TP-99", "WL-1", "water_level", May20(13), 312.1, "m"),
            Reading(3, Pond, "PH-1", "seepage", May20(13), 2, "L/s"),
            Reading(4, Pond, "PH-1", "tailings_colour", May20(13), 2, "m"),
        ]));

        Assert.Equal(
        [
            "[4].item: 'tailings_colour' is not a monitoring item (water_level, dry_beach_length, phreatic_depth, surface_displacement, internal_displacement, rainfall, seepage, pore_pressure)",
            "[1].point: no monitoring point 'WL-9' registered at YC-TP-01 (register it first: geomine monitoring points add)",
            "[2].pond: no tailings pond with code 'YC-TP-99'",
            "[3].item: point PH-1 of YC-TP-01 measures phreatic_depth, not seepage",
        ], e.Problems);
        Assert.Equal(before, await CountAsync("WL-1"));
    }

    [Fact]
    public async Task StoreAsync_MeasuredAnHourInTheFuture_Refused()
    {
        var services = await ServicesAsync();

        var e = await Assert.ThrowsAsync<MonitoringInputException>(() => services.Readings.StoreAsync(
            [Reading(0, Pond, "WL-1", "water_level", DateTime.UtcNow.AddHours(1), 312.1, "m")]));

        Assert.StartsWith("[0].measured_at: ", Assert.Single(e.Problems));
    }

    [Fact]
    public void ReadingCsv_NonNumericValueAndMissingUnit_NamesLineAndField()
    {
        const string csv = """
            pond,point,item,measured_at,value,unit
            YC-TP-01,WL-1,water_level,2026-05-20T08:00:00+08:00,312.4,m
            YC-TP-01,WL-1,water_level,2026-05-20T09:00:00+08:00,high,m
            YC-TP-01,WL-1,water_level,2026-05-20T10:00:00+08:00,312.6,
            YC-TP-01,WL-1,water_level,yesterday,312.6,m
            """;

        var e = Assert.Throws<MonitoringInputException>(() => ReadingCsv.Read(new StringReader(csv)));

        Assert.Equal(
        [
            "line 3: value: 'high' is not a number",
            "line 4: unit: missing",
            "line 5: measured_at: 'yesterday' is not an ISO-8601 time from 1900 to 2199 (no offset = China time)",
        ], e.Problems);
    }

    [Fact]
    public void ReadingCsv_ChineseHeaderAndTimeWithoutOffset_ReadAsChinaTime()
    {
        const string csv = "尾矿库编码,监测点,监测项目,监测时间,监测值,单位\nYC-TP-01,PH-1,phreatic_depth,2026-05-20 08:00:00,5.6,m\n";

        var reading = Assert.Single(ReadingCsv.Read(new StringReader(csv)));

        Assert.Equal(new DateTime(2026, 5, 20, 0, 0, 0, DateTimeKind.Utc), reading.MeasuredAtUtc);
        Assert.Equal(("line 2", "PH-1", 5.6, "m"), (reading.Label, reading.Point, reading.Value, reading.Unit));
    }

    [Fact]
    public async Task ImportedCsv_WithOneBadLine_NothingStored()
    {
        var services = await ServicesAsync();
        var before = await CountAsync("SP-1");
        const string csv = "pond,point,item,measured_at,value,unit\nYC-TP-01,SP-1,seepage,2026-05-20T14:00:00+08:00,2.5,L/s\nYC-TP-01,SP-1,seepage,2026-05-20T15:00:00+08:00,2.5,L/min\n";

        var e = await Assert.ThrowsAsync<MonitoringInputException>(() => services.Readings.StoreAsync(ReadingCsv.Read(new StringReader(csv))));

        Assert.Equal("line 3: unit: 'L/min' is not a unit of seepage (accepted: L/s, l/s, m³/h, m3/h)", Assert.Single(e.Problems));
        Assert.Equal(before, await CountAsync("SP-1"));
    }
}
