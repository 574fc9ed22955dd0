using System.Text.Json.Nodes;
using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Tailings;
using GeoMine.TestSupport;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Tests.Tailings;

/// <summary>
/// The tailings watch on the shipped sample county (data/shapefiles/README.md gives its ponds): 头顶库 as the
/// generator placed the facilities, and each rule firing at the right simulated China date and not before.
/// </summary>
public sealed class TailingsWatchTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private NpgsqlDataSource Db => GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString);

    private AlarmStore Alarms => new(Db);

    private TailingsWatchService Watch => new(Db, Alarms, Options.Create(new TailingsOptions()));

    private TailingsRegistry Registry => new(Db);

    /// <summary>China midnight of a day, as UTC.</summary>
    private static DateTime China(int year, int month, int day, int hour = 0) =>
        new DateTime(year, month, day, hour, 0, 0, DateTimeKind.Utc).AddHours(-8);

    private Task<long> PondIdAsync(string code) => county.Db.ScalarAsync<long>("SELECT id FROM tailings_pond WHERE code = @c", ("c", code));

    private async Task<Alarm?> RunningAsync(string kind, string pond)
    {
        var id = await PondIdAsync(pond);
        return (await Alarms.ListAsync(kind)).SingleOrDefault(a => a.ObjectKind == "tailings_pond" && a.ObjectId == id && a.EndedAt is null);
    }

    [Fact]
    public async Task Review_SampleCounty_HeadPondsAsTheGeneratorPlacedThem()
    {
        var ponds = (await Watch.ReviewAsync(China(2026, 11, 23))).ToDictionary(p => p.Facts.Code);

        // Generator (tools/sample-data/make_sample_data.py, FACILITIES_ON_PATHS): school 450 m along, 40 m off;
        // hamlet 800 m along, 70 m off; the 合兴村 hamlet 1,500 m along a hairpin, 581 m straight from the toe.
        var school = Assert.Single(ponds["YC-TP-01"].Facts.Head.Facilities);
        Assert.Equal("何埂镇黄桷小学", school.Name);
        Assert.Equal(450, school.AlongM, 2.0);
        Assert.Equal(40, school.OffM, 2.0);
        var hamlet = Assert.Single(ponds["YC-TP-04"].Facts.Head.Facilities);
        Assert.Equal("宝峰镇高洞村七组", hamlet.Name);
        Assert.Equal(800, hamlet.AlongM, 2.0);
        Assert.Equal(70, hamlet.OffM, 2.0);
        Assert.Equal(["YC-TP-01", "YC-TP-04"], ponds.Values.Where(p => p.Facts.Head.IsHead).Select(p => p.Facts.Code).Order());
        Assert.Equal("no", ponds["YC-TP-03"].Facts.Head.Status);

        // Classes from storage / dam height of the sample (README table): 35/18 → 五, 1500/65 → 三, 12000/105 → 二.
        Assert.Equal(5, ponds["YC-TP-01"].Class.Value);
        Assert.Equal(3, ponds["YC-TP-04"].Class.Value);
        Assert.Equal(2, ponds["YC-TP-06"].Class.Value);

        // The reviewer's order: 头顶库 first.
        var order = (await Watch.ReviewAsync(China(2026, 11, 23))).Select(p => p.Facts.Code).ToList();
        Assert.Equal(["YC-TP-04", "YC-TP-01"], order.Take(2));
    }

    [Fact]
    public async Task FloodSeason_DueFromTheReminderLead_EscalatedAtTheSeasonStart_EndedByTheRecord()
    {
        // Flood season from 1 June, reminders 30 days before: from 2 May (China date). YC-TP-06 is disused (a live
        // dam, not a 头顶库), YC-TP-04 is in use and a 头顶库, YC-TP-03 is closed (闭库).
        await Watch.RunAsync(China(2026, 5, 1, 12));
        Assert.Null(await RunningAsync(TailingsRules.PreFloodDue, "YC-TP-06"));

        await Watch.RunAsync(China(2026, 5, 2, 9));
        Assert.Equal("blue", (await RunningAsync(TailingsRules.PreFloodDue, "YC-TP-06"))?.Severity);
        Assert.Equal("blue", (await RunningAsync(TailingsRules.FloodRoutingDue, "YC-TP-06"))?.Severity);
        Assert.Equal("yellow", (await RunningAsync(TailingsRules.PreFloodDue, "YC-TP-04"))?.Severity);
        Assert.Null(await RunningAsync(TailingsRules.PreFloodDue, "YC-TP-03"));

        await Registry.AddInspectionAsync("YC-TP-06", new JsonObject { ["kind"] = "pre_flood", ["done_on"] = "2026-05-20", ["inspector"] = "县应急局 李工" });
        await Watch.RunAsync(China(2026, 6, 1, 9));
        Assert.Null(await RunningAsync(TailingsRules.PreFloodDue, "YC-TP-06"));
        Assert.Equal("orange", (await RunningAsync(TailingsRules.FloodRoutingDue, "YC-TP-06"))?.Severity);
        Assert.Equal("red", (await RunningAsync(TailingsRules.PreFloodDue, "YC-TP-04"))?.Severity);

        await Watch.RunAsync(China(2026, 10, 1, 9)); // the season is over: nothing chased any more
        Assert.Null(await RunningAsync(TailingsRules.FloodRoutingDue, "YC-TP-06"));
        Assert.Null(await RunningAsync(TailingsRules.PreFloodDue, "YC-TP-04"));
    }

    [Fact]
    public async Task ClosureCandidate_DisusedThreeYears_FromTheAnniversaryOn()
    {
        // YC-TP-02 is disused since 2022-08-15.
        await Watch.RunAsync(China(2025, 8, 14, 23));
        Assert.Null(await RunningAsync(TailingsRules.ClosureDue, "YC-TP-02"));

        await Watch.RunAsync(China(2025, 8, 15, 1));
        var alarm = await RunningAsync(TailingsRules.ClosureDue, "YC-TP-02");
        Assert.NotNull(alarm);
        Assert.Equal("2022-08-15", alarm.Evidence["disused_since"]?.GetValue<string>());
        Assert.Null(await RunningAsync(TailingsRules.ClosureDue, "YC-TP-06")); // disused 2026: not yet
    }

    [Fact]
    public async Task DamRaised_AboveDesignWithoutApproval_FromTheSurveyDay_EndedByAnApproval()
    {
        await Registry.UpdateAsync("YC-TP-04", new JsonObject { ["design_crest_m"] = 420.0 });
        await Registry.AddSurveyAsync("YC-TP-04", new JsonObject { ["surveyed_on"] = "2026-03-01", ["crest_m"] = 418.2, ["source"] = "年度测量" });
        await Registry.AddSurveyAsync("YC-TP-04", new JsonObject { ["surveyed_on"] = "2026-09-01", ["crest_m"] = 421.6, ["source"] = "无人机测量" });

        await Watch.RunAsync(China(2026, 8, 31, 12));
        Assert.Null(await RunningAsync(TailingsRules.DamRaised, "YC-TP-04"));

        await Watch.RunAsync(China(2026, 9, 1, 12));
        var alarm = await RunningAsync(TailingsRules.DamRaised, "YC-TP-04");
        Assert.Equal("red", alarm?.Severity); // YC-TP-04 is a 头顶库
        Assert.Equal(421.6, alarm!.Evidence["crest_m"]!.GetValue<double>());

        await Registry.AddApprovalAsync("YC-TP-04", new JsonObject
        {
            ["kind"] = "dam_raise", ["approved_on"] = "2026-08-20", ["crest_m"] = 422.0, ["document"] = "渝应急审批〔2026〕88号",
        });
        await Watch.RunAsync(China(2026, 9, 2, 12));
        Assert.Null(await RunningAsync(TailingsRules.DamRaised, "YC-TP-04"));
    }

    [Fact]
    public async Task DamRaised_SinceTheLastSurvey_WithoutDesignOnRecord()
    {
        await Registry.AddSurveyAsync("YC-TP-02", new JsonObject { ["surveyed_on"] = "2025-05-01", ["crest_m"] = 352.0 });
        await Registry.AddSurveyAsync("YC-TP-02", new JsonObject { ["surveyed_on"] = "2025-11-01", ["crest_m"] = 352.3 }); // within tolerance

        await Watch.RunAsync(China(2025, 11, 2));
        Assert.Null(await RunningAsync(TailingsRules.DamRaised, "YC-TP-02"));

        await Registry.AddSurveyAsync("YC-TP-02", new JsonObject { ["surveyed_on"] = "2026-04-01", ["crest_m"] = 354.0 });
        await Watch.RunAsync(China(2026, 4, 2));
        Assert.Equal("orange", (await RunningAsync(TailingsRules.DamRaised, "YC-TP-02"))?.Severity);
    }

    [Fact]
    public async Task Reactivation_DisusedSixMonthsAndWaterRising_FromSixMonthsOn_NotBefore()
    {
        // YC-TP-06 is disused since 2026-03-20. Its water level rises 0.6 m over a week in September, as when tailings
        // and water are being discharged again; a steady level does not count.
        var pond = await PondIdAsync("YC-TP-06");
        var point = await county.Db.ScalarAsync<long>(
            "INSERT INTO monitoring_point (pond_id, code, item, unit) VALUES (@p, 'WL-1', 'water_level', 'm') RETURNING id", ("p", pond));
        var steady = await county.Db.ScalarAsync<long>(
            "INSERT INTO monitoring_point (pond_id, code, item, unit) VALUES (@p, 'WL-2', 'water_level', 'm') RETURNING id", ("p", pond));
        await using (var connection = await county.Db.OpenAsync())
        {
            for (var day = 0; day <= 6; day++)
            {
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO monitoring_reading (point_id, measured_at, value) VALUES (@a, @t, @v), (@b, @t, 318.0)", connection);
                insert.Parameters.AddWithValue("a", point);
                insert.Parameters.AddWithValue("b", steady);
                insert.Parameters.AddWithValue("t", China(2026, 9, 14 + day, 8));
                insert.Parameters.AddWithValue("v", 318.0 + (0.1 * day));
                await insert.ExecuteNonQueryAsync();
            }
        }

        await Watch.RunAsync(China(2026, 9, 19, 23)); // rising, but not yet disused 6 months (from 2026-09-20)
        Assert.Null(await RunningAsync(TailingsRules.Reactivation, "YC-TP-06"));

        await Watch.RunAsync(China(2026, 9, 20, 12));
        var alarm = await RunningAsync(TailingsRules.Reactivation, "YC-TP-06");
        Assert.Equal("orange", alarm?.Severity);
        var readings = alarm!.Evidence["readings"]!.AsArray();
        Assert.Equal("WL-1", Assert.Single(readings)!["point"]!.GetValue<string>());

        await Watch.RunAsync(China(2026, 10, 10)); // a quiet window later: the episode is over
        Assert.Null(await RunningAsync(TailingsRules.Reactivation, "YC-TP-06"));
    }

    [Fact]
    public async Task SpotCheck_NoOperatorPond_DueEveryQuarter_UntilChecked()
    {
        await Watch.RunAsync(China(2026, 7, 10));
        var alarm = await RunningAsync(TailingsRules.SpotCheckDue, "YC-TP-05"); // 无主库
        Assert.Equal("2026-07-01", alarm?.Evidence["period_from"]?.GetValue<string>());

        await Registry.AddInspectionAsync("YC-TP-05", new JsonObject { ["kind"] = "spot_check", ["done_on"] = "2026-07-15", ["inspector"] = "红炉镇 张站长" });
        await Watch.RunAsync(China(2026, 8, 1));
        Assert.Null(await RunningAsync(TailingsRules.SpotCheckDue, "YC-TP-05"));

        await Watch.RunAsync(China(2026, 10, 1)); // a new quarter
        Assert.NotNull(await RunningAsync(TailingsRules.SpotCheckDue, "YC-TP-05"));
    }

    [Fact]
    public async Task Registry_BadInput_NamesTheFieldAndWritesNothing()
    {
        var before = await county.Db.ScalarAsync<long>("SELECT count(*) FROM tailings_crest_survey");
        var e = await Assert.ThrowsAsync<TailingsInputException>(() =>
            Registry.AddSurveyAsync("YC-TP-01", new JsonObject { ["surveyed_on"] = "2026-13-01", ["crest_m"] = 300.0 }));
        Assert.Equal("surveyed_on", e.Field);
        e = await Assert.ThrowsAsync<TailingsInputException>(() =>
            Registry.AddSurveyAsync("YC-TP-01", new JsonObject { ["surveyed_on"] = "2026-10-01", ["crest_m"] = "三百" }));
        Assert.Equal("crest_m", e.Field);
        e = await Assert.ThrowsAsync<TailingsInputException>(() =>
            Registry.UpdateAsync("YC-TP-01", new JsonObject { ["design_crest_m"] = 300.0, ["status"] = "abandoned" }));
        Assert.Equal("status", e.Field);
        e = await Assert.ThrowsAsync<TailingsInputException>(() =>
            Registry.UpdateAsync("YC-TP-01", new JsonObject { ["status"] = "disused" }));
        Assert.Equal("disused_since", e.Field);
        Assert.Equal("in_use", await county.Db.ScalarAsync<string>("SELECT status FROM tailings_pond WHERE code = 'YC-TP-01'"));
        Assert.Equal(before, await county.Db.ScalarAsync<long>("SELECT count(*) FROM tailings_crest_survey"));
        await Assert.ThrowsAsync<TailingsNotFoundException>(() => Registry.UpdateAsync("NO-SUCH", new JsonObject { ["plan_ref"] = "x" }));
    }
}
