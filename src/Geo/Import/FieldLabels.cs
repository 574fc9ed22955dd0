namespace GeoMine.Geo.Import;

/// <summary>
/// What the fields of the reference layers and their code values are called, in Chinese and English: the one list the
/// map page, its popups and its English switch read (through <c>GET /api/layers</c>). A field or code value without a
/// label here is a programming error, caught when the catalog is built.
/// </summary>
public static class FieldLabels
{
    private static readonly Dictionary<string, (string Zh, string En)> Fields = new(StringComparer.Ordinal)
    {
        ["code"] = ("编码", "Code"),
        ["name"] = ("名称", "Name"),
        ["parent"] = ("上级", "Parent"),
        ["town"] = ("镇街", "Town"),
        ["closed_on"] = ("关闭日期", "Closed on"),
        ["status"] = ("状态", "Status"),
        ["mineral"] = ("矿种", "Mineral"),
        ["risk_class"] = ("风险等级", "Risk class"),
        ["mine"] = ("所属矿山", "Mine"),
        ["sealed_on"] = ("封闭日期", "Sealed on"),
        ["seal_meth"] = ("封闭方式", "Sealing method"),
        ["elev_m"] = ("井口标高(米)", "Collar elevation (m)"),
        ["licence"] = ("许可证号", "Licence no."),
        ["holder"] = ("采矿权人", "Licence holder"),
        ["mine_name"] = ("矿山名称", "Mine name"),
        ["valid_from"] = ("有效期起", "Valid from"),
        ["valid_to"] = ("有效期止", "Valid to"),
        ["upper_m"] = ("开采标高上限(米)", "Upper mining elevation (m)"),
        ["lower_m"] = ("开采标高下限(米)", "Lower mining elevation (m)"),
        ["operator"] = ("企业", "Operator"),
        ["disused_on"] = ("停用日期", "Disused on"),
        ["storage"] = ("总库容(万m³)", "Total storage (10⁴ m³)"),
        ["dam_h_m"] = ("坝高(米)", "Dam height (m)"),
        ["design_m"] = ("设计最终坝顶标高(米)", "Design final crest (m)"),
        ["crest_m"] = ("现状坝顶标高(米)", "Current crest (m)"),
        ["surveyed"] = ("坝顶测量日期", "Crest surveyed on"),
        ["method"] = ("筑坝方式", "Dam construction"),
        ["dereg_on"] = ("销号日期", "Deregistered on"),
        ["plan_ref"] = ("一库一策", "Pond plan (一库一策)"),
        ["kind"] = ("类型", "Kind"),
        ["population"] = ("人口", "Population"),
        // Added to the shafts' tiles by the patrol rating.
        ["patrol_status"] = ("巡查状态", "Patrol status"),
        ["unassigned"] = ("无责任人", "Nobody responsible"),
    };

    // English names of code values, by field and code; the Chinese name is the first term the catalog accepts for it.
    private static readonly Dictionary<string, string> CodeEnglish = new(StringComparer.Ordinal)
    {
        ["status:closing"] = "Closing", ["status:closed"] = "Closed", ["status:sealed"] = "Sealed", ["status:stopped"] = "Stopped",
        ["status:intact"] = "Intact", ["status:damaged"] = "Damaged", ["status:opened"] = "Opened", ["status:backfilled"] = "Backfilled",
        ["status:in_use"] = "In use", ["status:disused"] = "Disused", ["status:deregistered"] = "Deregistered",
        ["status:no_operator"] = "No operator (无主库)",
        ["risk_class:A"] = "Class A", ["risk_class:B"] = "Class B", ["risk_class:C"] = "Class C", ["risk_class:D"] = "Class D",
        ["method:upstream"] = "Upstream", ["method:downstream"] = "Downstream", ["method:centerline"] = "Centreline",
        ["method:other"] = "Other",
        ["kind:residential"] = "Residential", ["kind:school"] = "School", ["kind:hospital"] = "Hospital", ["kind:factory"] = "Factory",
        ["kind:other"] = "Other",
    };

    /// <summary>The Chinese and English name of field <paramref name="field"/>.</summary>
    public static (string Zh, string En) Of(string field) =>
        Fields.TryGetValue(field, out var label) ? label : throw new InvalidOperationException($"field '{field}' has no label in FieldLabels");

    /// <summary>The English name of code <paramref name="code"/> of field <paramref name="field"/>.</summary>
    public static string English(string field, string code) =>
        CodeEnglish.TryGetValue($"{field}:{code}", out var en) ? en : throw new InvalidOperationException($"code '{code}' of field '{field}' has no English name in FieldLabels");
}

/// <summary>A code value with its names: <paramref name="Code"/> as stored, <paramref name="Zh"/> and <paramref name="En"/> as shown.</summary>
public sealed record CodeLabel(string Code, string Zh, string En);
