using GeoMine.Patrol.Alarms;
using GeoMine.Geo;
using System.Globalization;
using System.Text.Json.Nodes;

namespace GeoMine.Patrol.Tailings;

/// <summary>
/// The tailings watch rules (seed 002 (二十二)(二十三)), pure: facts of one pond at one moment in, findings out.
/// Days are China days (UTC+8).
/// <list type="bullet">
/// <item><c>tailings_pre_flood_due</c> / <c>tailings_flood_routing_due</c>: ponds in use, disused or without operator need
/// a pre-flood-season inspection (汛前检查) and a flood-routing check (调洪演算) each year before the flood season. Raised
/// <see cref="TailingsOptions.FloodReminderLead"/> before the season (blue; yellow for 头顶库), orange (red for 头顶库)
/// once the season has started, until a record of that year exists or the season ends.</item>
/// <item><c>tailings_closure_due</c>: disused for <see cref="TailingsOptions.ClosureAfterYears"/> years and not closed
/// (闭库销号 list), yellow.</item>
/// <item><c>tailings_reactivation</c>: disused for <see cref="TailingsOptions.ReactivationAfterMonths"/> months and
/// monitoring moves as in operation (water level rising, dry beach shortening) without a reactivation approval, orange
/// (red for 头顶库). Positions dwelling in a disused pond are the boundary check's <c>tailings_activity</c>.</item>
/// <item><c>tailings_dam_raised</c>: latest crest survey above the design crest (or the highest approved raise), or
/// higher than the previous survey, by more than <see cref="TailingsOptions.CrestToleranceM"/>, with no dam-raise
/// approval up to that crest (擅自加高坝体), orange (red for 头顶库).</item>
/// <item><c>tailings_spot_check_due</c>: 无主库, 头顶库 and closure candidates need a spot check (抽查) in every period of
/// <see cref="TailingsOptions.SpotCheckPeriodMonths"/> months, blue.</item>
/// </list>
/// </summary>
public static class TailingsRules
{
    /// <summary>Pre-flood-season inspection (汛前检查) not recorded for this year's flood season.</summary>
    public static readonly string PreFloodDue = AlarmKinds.TailingsPreFloodDue.Code;

    /// <summary>Flood routing check (调洪演算) not recorded for this year's flood season.</summary>
    public static readonly string FloodRoutingDue = AlarmKinds.TailingsFloodRoutingDue.Code;

    /// <summary>Disused long enough to be closed and deregistered (闭库销号).</summary>
    public static readonly string ClosureDue = AlarmKinds.TailingsClosureDue.Code;

    /// <summary>A long-disused pond shows signs of operation (停用6个月以上擅自启用).</summary>
    public static readonly string Reactivation = AlarmKinds.TailingsReactivation.Code;

    /// <summary>Dam raised without approval (擅自加高坝体).</summary>
    public static readonly string DamRaised = AlarmKinds.TailingsDamRaised.Code;

    /// <summary>Spot check (抽查) due this period.</summary>
    public static readonly string SpotCheckDue = AlarmKinds.TailingsSpotCheckDue.Code;

    /// <summary>Every kind these rules raise: the job ends running episodes of these kinds that no longer hold.</summary>
    public static readonly string[] Kinds = [PreFloodDue, FloodRoutingDue, ClosureDue, Reactivation, DamRaised, SpotCheckDue];

    /// <summary>Kinds due once per period (a flood season, a spot-check period): an unmet obligation of an earlier period
    /// ends where the next period's episode begins, so each period is its own alarm.</summary>
    public static readonly string[] PeriodicKinds = [PreFloodDue, FloodRoutingDue, SpotCheckDue];

    /// <summary>What holds for <paramref name="pond"/> at <paramref name="nowUtc"/>.</summary>
    public static IReadOnlyList<TailingsFinding> Evaluate(PondFacts pond, DateTime nowUtc, TailingsOptions options)
    {
        var today = ChinaTime.Day(nowUtc);
        var findings = new List<TailingsFinding>();
        var head = pond.Head.IsHead;
        var live = pond.Status is "in_use" or "disused" or "no_operator";
        if (live)
        {
            FloodObligation(findings, pond, today, options, "pre_flood", PreFloodDue, "汛前检查");
            FloodObligation(findings, pond, today, options, "flood_routing", FloodRoutingDue, "调洪演算");
        }

        var closureCandidate = pond is { Status: "disused", DisusedSince: { } disused } && disused.AddYears(options.ClosureAfterYears) <= today;
        if (closureCandidate)
        {
            var since = pond.DisusedSince!.Value;
            findings.Add(new TailingsFinding(ClosureDue, "yellow", ChinaTime.StartOf(since.AddYears(options.ClosureAfterYears)),
                $"{pond.Name} 停用超过{options.ClosureAfterYears}年未闭库（停用于 {Day(since)}）：列入闭库销号",
                new JsonObject { ["disused_since"] = Day(since), ["years"] = options.ClosureAfterYears }));
        }

        Reactivated(findings, pond, today, options, head);
        DamRaisedWithoutApproval(findings, pond, options, head);

        if (pond.Status == "no_operator" || head || closureCandidate)
        {
            var months = options.SpotCheckPeriodMonths;
            var periodStart = new DateOnly(today.Year, ((today.Month - 1) / months * months) + 1, 1);
            if (!(pond.LastInspection.TryGetValue("spot_check", out var done) && done >= periodStart))
            {
                var why = string.Join("、", new[] { pond.Status == "no_operator" ? "无主库" : null, head ? "头顶库" : null, closureCandidate ? "停用超3年" : null }
                    .Where(w => w is not null));
                findings.Add(new TailingsFinding(SpotCheckDue, "blue", ChinaTime.StartOf(periodStart),
                    $"{pond.Name}（{why}）本期未抽查（{Day(periodStart)} 至 {Day(periodStart.AddMonths(months).AddDays(-1))}）",
                    new JsonObject
                    {
                        ["period_from"] = Day(periodStart),
                        ["period_to"] = Day(periodStart.AddMonths(months).AddDays(-1)),
                        ["reasons"] = why,
                        ["last_spot_check"] = done == default ? null : Day(done),
                    }));
            }
        }

        return findings;
    }

    private static void FloodObligation(
        List<TailingsFinding> findings, PondFacts pond, DateOnly today, TailingsOptions options, string inspection, string kind, string label)
    {
        var start = MonthDay(today.Year, options.FloodSeasonStart);
        var end = MonthDay(today.Year, options.FloodSeasonEnd);
        var remindFrom = DateOnly.FromDateTime(start.ToDateTime(TimeOnly.MinValue) - options.FloodReminderLead);
        var counted = pond.LastInspection.TryGetValue(inspection, out var done) && done >= MonthDay(today.Year, options.InspectionYearStart);
        if (today < remindFrom || today > end || counted)
        {
            return;
        }

        var head = pond.Head.IsHead;
        var overdue = today >= start;
        var severity = (overdue, head) switch
        {
            (false, false) => "blue",
            (false, true) => "yellow",
            (true, false) => "orange",
            (true, true) => "red",
        };
        var prefix = head ? "头顶库 " : "";
        findings.Add(new TailingsFinding(kind, severity, ChinaTime.StartOf(remindFrom),
            overdue ? $"{prefix}{pond.Name} {today.Year}年{label}未完成，汛期已于 {Day(start)} 开始"
                    : $"{prefix}{pond.Name} {today.Year}年{label}应于 {Day(start)} 入汛前完成",
            new JsonObject
            {
                ["year"] = today.Year,
                ["due_by"] = Day(start),
                ["flood_season_end"] = Day(end),
                ["inspection"] = inspection,
                ["last_done"] = done == default ? null : Day(done),
                ["head_pond"] = head,
            }));
    }

    private static void Reactivated(List<TailingsFinding> findings, PondFacts pond, DateOnly today, TailingsOptions options, bool head)
    {
        if (pond is not { Status: "disused", DisusedSince: { } disused } || disused.AddMonths(options.ReactivationAfterMonths) > today
            || pond.Activity.Count == 0 || pond.Approvals.Any(a => a.Kind == "reactivation" && a.ApprovedOn >= disused))
        {
            return;
        }

        var evidence = new JsonArray();
        foreach (var a in pond.Activity)
        {
            evidence.Add(new JsonObject
            {
                ["point"] = a.Point,
                ["item"] = a.Item,
                ["from"] = a.From.Value,
                ["from_at"] = a.From.At.ToString("O", CultureInfo.InvariantCulture),
                ["to"] = a.To.Value,
                ["to_at"] = a.To.At.ToString("O", CultureInfo.InvariantCulture),
            });
        }

        findings.Add(new TailingsFinding(Reactivation, head ? "red" : "orange", pond.Activity.Min(a => a.To.At),
            $"{(head ? "头顶库 " : "")}{pond.Name} 停用于 {Day(disused)}，监测显示在运行：疑似擅自启用",
            new JsonObject { ["disused_since"] = Day(disused), ["readings"] = evidence }));
    }

    private static void DamRaisedWithoutApproval(List<TailingsFinding> findings, PondFacts pond, TailingsOptions options, bool head)
    {
        if (pond.Surveys.Count == 0)
        {
            return;
        }

        var latest = pond.Surveys[^1];
        var tolerance = options.CrestToleranceM;
        var approved = pond.Approvals.Where(a => a is { Kind: "dam_raise", CrestM: not null } && a.ApprovedOn <= latest.SurveyedOn)
            .Select(a => a.CrestM!.Value).DefaultIfEmpty(double.NegativeInfinity).Max();
        if (approved >= latest.CrestM - tolerance)
        {
            return;
        }

        var limit = Math.Max(pond.DesignCrestM ?? double.NegativeInfinity, approved);
        var previous = pond.Surveys.Count > 1 ? pond.Surveys[^2] : null;
        var aboveDesign = !double.IsNegativeInfinity(limit) && latest.CrestM > limit + tolerance;
        var raised = previous is not null && latest.CrestM > previous.CrestM + tolerance;
        if (!aboveDesign && !raised)
        {
            return;
        }

        var evidence = new JsonObject
        {
            ["surveyed_on"] = Day(latest.SurveyedOn),
            ["crest_m"] = latest.CrestM,
            ["survey_source"] = latest.Source,
            ["design_crest_m"] = pond.DesignCrestM,
            ["approved_crest_m"] = double.IsNegativeInfinity(approved) ? null : approved,
            ["previous_surveyed_on"] = previous is null ? null : Day(previous.SurveyedOn),
            ["previous_crest_m"] = previous?.CrestM,
            ["tolerance_m"] = tolerance,
        };
        var what = aboveDesign
            ? string.Create(CultureInfo.InvariantCulture, $"坝顶标高 {latest.CrestM:0.00} m 超过设计（批准）标高 {limit:0.00} m")
            : string.Create(CultureInfo.InvariantCulture, $"坝顶标高由 {previous!.CrestM:0.00} m 升至 {latest.CrestM:0.00} m");
        findings.Add(new TailingsFinding(DamRaised, head ? "red" : "orange", ChinaTime.StartOf(latest.SurveyedOn),
            $"{(head ? "头顶库 " : "")}{pond.Name} {what}（{Day(latest.SurveyedOn)} 测量），无加高批准：疑似擅自加高坝体", evidence));
    }

    private static DateOnly MonthDay(int year, string monthDay) =>
        DateOnly.ParseExact($"{year:D4}-{monthDay}", "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
