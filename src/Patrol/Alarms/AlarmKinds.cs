using GeoMine.Patrol.Monitoring;

namespace GeoMine.Patrol.Alarms;

/// <summary>One kind of alarm: its code (stored in <c>alarm.kind</c>), default severity, the kind of object it is about,
/// its labels and what it means.</summary>
/// <param name="Code">Stored code, e.g. <c>out_of_boundary</c>.</param>
/// <param name="DefaultSeverity">Severity it is raised with unless its rule says otherwise (a rule may raise it higher).</param>
/// <param name="ObjectKind">What <c>alarm.object_kind</c> is for it: mining_right, closed_mine, sealed_shaft, tailings_pond.</param>
/// <param name="Chinese">Label as officials read it.</param>
/// <param name="English">English label.</param>
/// <param name="Description">What raises it, in one sentence.</param>
public sealed record AlarmKind(string Code, WarningLevel DefaultSeverity, string ObjectKind, string Chinese, string English, string Description);

/// <summary>
/// Every alarm kind GeoMine raises, in one place: the rules take their codes from here, <see cref="AlarmStore"/> refuses any
/// other, <c>GET /api/alarms/kinds</c> serves the list to the map page (filter, labels) and the command line reads it.
/// Adding a kind: a line here, and the rule that raises it.
/// </summary>
public static class AlarmKinds
{
    /// <summary>越界: equipment outside its licensed area.</summary>
    public static readonly AlarmKind OutOfBoundary = new("out_of_boundary", WarningLevel.Orange, "mining_right", "越界开采", "Mining outside the licence",
        "Equipment bound to a licence works outside its licensed area by more than its fix accuracy.");

    /// <summary>超层: outside the licensed elevation band of the block holding the fix.</summary>
    public static readonly AlarmKind OutOfElevation = new("out_of_elevation", WarningLevel.Orange, "mining_right", "超层开采", "Mining outside the elevation band",
        "Equipment inside its licensed area works above or below the elevation band of the block (采区) it is in.");

    /// <summary>无证开采: work under an expired or not-yet-valid licence.</summary>
    public static readonly AlarmKind LicenceNotValid = new("licence_not_valid", WarningLevel.Orange, "mining_right", "许可证过期/未生效作业", "Work without a valid licence",
        "Equipment works inside its licensed area on a day after the licence expired or before it became valid.");

    /// <summary>死灰复燃: activity at a closed mine.</summary>
    public static readonly AlarmKind ClosedMineActivity = new("closed_mine_activity", WarningLevel.Red, "closed_mine", "死灰复燃", "Activity at a closed mine",
        "A device that is not a patrol phone stays in a closed mine's area or near a sealed shaft.");

    /// <summary>Activity in a disused tailings pond.</summary>
    public static readonly AlarmKind TailingsActivity = new("tailings_activity", WarningLevel.Orange, "tailings_pond", "停用尾矿库活动", "Activity in a disused tailings pond",
        "A device stays in a tailings pond disused for six months or more.");

    /// <summary>逾期未巡查.</summary>
    public static readonly AlarmKind PatrolOverdue = new("patrol_overdue", WarningLevel.Yellow, "sealed_shaft", "逾期未巡查", "Patrol overdue",
        "A sealed shaft was not visited within its patrol interval.");

    /// <summary>井口无责任人.</summary>
    public static readonly AlarmKind ShaftUnassigned = new("shaft_unassigned", WarningLevel.Orange, "sealed_shaft", "井口无责任人", "Shaft without a responsible person",
        "A sealed shaft has no one-to-one responsible person (一对一责任人).");

    /// <summary>封闭异常: a seal found damaged, opened or entered.</summary>
    public static readonly AlarmKind SealFinding = new("seal_finding", WarningLevel.Red, "sealed_shaft", "封闭异常", "Seal found broken",
        "A patrol record finds the seal damaged (orange), opened or entered (red).");

    /// <summary>在线监测预警.</summary>
    public static readonly AlarmKind MonitoringLevel = new("monitoring_level", WarningLevel.Blue, "tailings_pond", "在线监测预警", "Monitoring warning",
        "An online monitoring reading reaches a warning value (蓝/黄/橙/红, GB 39496-2020 5.5.4); raised at the level reached.");

    /// <summary>监测数据中断.</summary>
    public static readonly AlarmKind MonitoringStale = new("monitoring_stale", WarningLevel.Yellow, "tailings_pond", "监测数据中断", "Monitoring data stopped",
        "A monitoring point has sent nothing for longer than allowed.");

    /// <summary>汛前检查未做.</summary>
    public static readonly AlarmKind TailingsPreFloodDue = new("tailings_pre_flood_due", WarningLevel.Blue, "tailings_pond", "汛前检查未完成", "Pre-flood inspection due",
        "No pre-flood-season inspection (汛前检查) recorded for this year's flood season; higher as the season nears, red for a 头顶库 in it.");

    /// <summary>调洪演算未做.</summary>
    public static readonly AlarmKind TailingsFloodRoutingDue = new("tailings_flood_routing_due", WarningLevel.Blue, "tailings_pond", "调洪演算未完成", "Flood routing check due",
        "No flood routing check (调洪演算) recorded for this year's flood season.");

    /// <summary>应闭库销号.</summary>
    public static readonly AlarmKind TailingsClosureDue = new("tailings_closure_due", WarningLevel.Yellow, "tailings_pond", "应闭库销号", "Closure due",
        "A pond disused long enough must be closed and deregistered (闭库销号).");

    /// <summary>停用后擅自启用.</summary>
    public static readonly AlarmKind TailingsReactivation = new("tailings_reactivation", WarningLevel.Orange, "tailings_pond", "停用库擅自启用", "Disused pond back in use",
        "A pond disused for six months or more shows signs of operation (red for a 头顶库).");

    /// <summary>擅自加高坝体.</summary>
    public static readonly AlarmKind TailingsDamRaised = new("tailings_dam_raised", WarningLevel.Orange, "tailings_pond", "擅自加高坝体", "Dam raised without approval",
        "The dam was raised without an approved design (red for a 头顶库).");

    /// <summary>抽查到期.</summary>
    public static readonly AlarmKind TailingsSpotCheckDue = new("tailings_spot_check_due", WarningLevel.Blue, "tailings_pond", "抽查到期", "Spot check due",
        "The pond's spot check (抽查) is due this period.");

    /// <summary>紧急求助: SOS from a phone.</summary>
    public static readonly AlarmKind Sos = new("phone_sos", WarningLevel.Red, "device", "紧急求助", "SOS from a phone",
        "The user of a registered phone pressed SOS (Traccar Client sends alarm=sos with the fix).");

    /// <summary>Every kind, in the order lists show them.</summary>
    public static IReadOnlyList<AlarmKind> All { get; } =
    [
        Sos, OutOfBoundary, OutOfElevation, LicenceNotValid, ClosedMineActivity, TailingsActivity, PatrolOverdue, ShaftUnassigned, SealFinding,
        MonitoringLevel, MonitoringStale, TailingsPreFloodDue, TailingsFloodRoutingDue, TailingsClosureDue, TailingsReactivation,
        TailingsDamRaised, TailingsSpotCheckDue,
    ];

    private static readonly Dictionary<string, AlarmKind> ByCode = All.ToDictionary(k => k.Code, StringComparer.Ordinal);

    /// <summary>The kind of <paramref name="code"/>, or null.</summary>
    public static AlarmKind? Find(string code) => ByCode.GetValueOrDefault(code);
}
