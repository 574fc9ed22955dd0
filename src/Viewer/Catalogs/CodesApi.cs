using GeoMine.Geo.Import;
using GeoMine.Patrol.Monitoring;
using GeoMine.Patrol.Obligations;
using GeoMine.Patrol.Records;
using GeoMine.Patrol.Responsibility;
using GeoMine.Patrol.Tailings;
using GeoMine.Viewer.Hosting;

namespace GeoMine.Viewer.Catalogs;

/// <summary>
/// <c>GET /api/codes</c>: the code lists that are not a layer's field (those come with <c>GET /api/layers</c>) and not
/// alarm kinds (<c>GET /api/alarms/kinds</c>): patrol statuses, responsibility roles, warning levels, alarm states and
/// outcomes — each code with its Chinese and English name. The map page shows every code through these lists, so that
/// neither language shows a raw code.
/// </summary>
internal static class CodesApi
{
    public static IEndpointRouteBuilder MapCodesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/codes", () => TypedResults.Ok(All)).WithTags(ApiTags.Map).WithName("listCodes")
            .WithSummary("Code lists with Chinese and English names: patrol_status, role, severity, alarm_state, alarm_outcome, record_kind, seal_condition, inspection_kind");
        return routes;
    }

    /// <summary>Shaft patrol statuses (<see cref="PatrolStatusCode"/>), in the legend's order.</summary>
    public static IReadOnlyList<CodeLabel> PatrolStatuses { get; } =
    [
        .. new[] { PatrolStatus.Ok, PatrolStatus.DueSoon, PatrolStatus.Overdue, PatrolStatus.NeverVisited }.Select(s => PatrolStatusCode.Of(s) switch
        {
            "ok" => new CodeLabel("ok", "按期巡查", "Patrolled on time"),
            "due_soon" => new CodeLabel("due_soon", "即将到期", "Due soon"),
            "overdue" => new CodeLabel("overdue", "逾期未巡查", "Overdue"),
            var code => new CodeLabel(code, "从未巡查", "Never visited"),
        }),
    ];

    private static IReadOnlyList<CodeList> All { get; } =
    [
        new("patrol_status", "巡查状态", "Patrol status", PatrolStatuses),
        new("role", "职责", "Role", [.. ResponsibilityRole.All.Select(r => r switch
        {
            ResponsibilityRole.LeadLeader => new CodeLabel(r, "包保领导", "Lead leader"),
            ResponsibilityRole.ResponsiblePerson => new CodeLabel(r, "一对一责任人", "Responsible person"),
            ResponsibilityRole.VillageCadre => new CodeLabel(r, "村干部", "Village cadre"),
            "government_leader" => new CodeLabel(r, "政府领导", "Government leader"),
            "regulator" => new CodeLabel(r, "监管人员", "Regulator"),
            "enterprise_principal" => new CodeLabel(r, "企业负责人", "Enterprise principal"),
            "patrol_member" => new CodeLabel(r, "巡查队员", "Patrol member"),
            _ => throw new InvalidOperationException($"role '{r}' has no name in CodesApi"),
        })]),
        new("severity", "级别", "Severity", [.. Enum.GetValues<WarningLevel>().Select(l => new CodeLabel(l.Code(), l.Chinese(), l switch
        {
            WarningLevel.Blue => "Blue", WarningLevel.Yellow => "Yellow", WarningLevel.Orange => "Orange", WarningLevel.Red => "Red",
            _ => "Normal",
        }))]),
        new("alarm_state", "状态", "State",
            [new("raised", "监测预警", "Raised"), new("acknowledged", "已接报", "Acknowledged"), new("verifying", "核查中", "Verifying"),
             new("closed", "已关闭", "Closed")]),
        new("alarm_outcome", "结论", "Outcome",
            [new("confirmed", "属实", "Confirmed"), new("false_alarm", "误报", "False alarm"), new("handled", "已处置", "Handled")]),
        new("record_kind", "巡查方式", "Patrol kind", [.. PatrolRecordService.Kinds.Select(k => k switch
        {
            "on_site" => new CodeLabel(k, "现场巡查", "On site"),
            "online" => new CodeLabel(k, "线上巡查（视频）", "Online (video)"),
            _ => throw new InvalidOperationException($"record kind '{k}' has no name in CodesApi"),
        })]),
        new("seal_condition", "封闭情况", "Seal as found", [.. PatrolRecordService.Conditions.Select(c => c switch
        {
            "intact" => new CodeLabel(c, "完好", "Intact"),
            "damaged" => new CodeLabel(c, "破损", "Damaged"),
            "opened" => new CodeLabel(c, "被打开", "Opened"),
            "signs_of_entry" => new CodeLabel(c, "有进入痕迹", "Signs of entry"),
            _ => throw new InvalidOperationException($"seal condition '{c}' has no name in CodesApi"),
        })]),
        new("inspection_kind", "检查类型", "Inspection", [.. TailingsRegistry.InspectionKinds.Select(k => k switch
        {
            "pre_flood" => new CodeLabel(k, "汛前检查", "Pre-flood inspection"),
            "flood_routing" => new CodeLabel(k, "调洪演算", "Flood routing"),
            "spot_check" => new CodeLabel(k, "抽查", "Spot check"),
            _ => throw new InvalidOperationException($"inspection kind '{k}' has no name in CodesApi"),
        })]),
    ];
}

/// <summary>One code list: its name, what it is called, and its codes in display order.</summary>
internal sealed record CodeList(string List, string LabelZh, string LabelEn, IReadOnlyList<CodeLabel> Codes);
