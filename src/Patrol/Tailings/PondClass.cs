using System.Globalization;

namespace GeoMine.Patrol.Tailings;

/// <summary>
/// 尾矿库等别 (class 一 to 五) computed from total storage and dam height, never typed in (GB 50863 / 尾矿库安全规程 table):
/// <list type="table">
/// <item><term>二</term><description>V ≥ 10000 万m³ or H ≥ 100 m</description></item>
/// <item><term>三</term><description>1000 ≤ V &lt; 10000, or 60 ≤ H &lt; 100</description></item>
/// <item><term>四</term><description>100 ≤ V &lt; 1000, or 30 ≤ H &lt; 60</description></item>
/// <item><term>五</term><description>V &lt; 100, or H &lt; 30</description></item>
/// </list>
/// Volume and height each give a class; when they are one class apart the higher class (smaller number) holds,
/// when further apart the higher class lowered by one. Class 一 only comes from an explicit override with a reason,
/// which also may set any other class; an override is shown as such.
/// </summary>
/// <param name="Value">1 (一, highest hazard) to 5 (五); null when neither volume nor height is known.</param>
/// <param name="ByVolume">Class from total storage alone, if known.</param>
/// <param name="ByHeight">Class from dam height alone, if known.</param>
/// <param name="Override">The override in force, if any: it wins over the computed class.</param>
public sealed record PondClass(int? Value, int? ByVolume, int? ByHeight, ClassOverride? Override)
{
    private static readonly string[] Numerals = ["", "一", "二", "三", "四", "五"];

    /// <summary>The class as officials write it (一…五), or "unknown".</summary>
    public string Label => Value is { } v ? Numerals[v] + "等" : "unknown";

    /// <summary>How the class was reached, for the reviewer.</summary>
    public string Basis => Override is { } o
        ? $"override ({o.Reason}; {o.Actor})"
        : (ByVolume, ByHeight) switch
        {
            (null, null) => "no storage or dam height on record",
            (null, _) => "from dam height only (storage unknown)",
            (_, null) => "from storage only (dam height unknown)",
            var (v, h) when v == h => "storage and dam height agree",
            var (v, h) when Math.Abs(v!.Value - h!.Value) == 1 => "one class apart: the higher",
            _ => "more than one class apart: the higher lowered by one",
        };

    /// <summary>Computes the class from total storage (万m³) and dam height (m), then applies <paramref name="classOverride"/>.</summary>
    public static PondClass Compute(double? storage10kM3, double? damHeightM, ClassOverride? classOverride = null)
    {
        var byVolume = storage10kM3 switch
        {
            null => (int?)null,
            >= 10000 => 2,
            >= 1000 => 3,
            >= 100 => 4,
            _ => 5,
        };
        var byHeight = damHeightM switch
        {
            null => (int?)null,
            >= 100 => 2,
            >= 60 => 3,
            >= 30 => 4,
            _ => 5,
        };
        int? computed = (byVolume, byHeight) switch
        {
            (null, null) => null,
            (null, var h) => h,
            (var v, null) => v,
            var (v, h) when Math.Abs(v!.Value - h!.Value) <= 1 => Math.Min(v.Value, h.Value),
            var (v, h) => Math.Min(v!.Value, h!.Value) + 1,
        };
        return new PondClass(classOverride?.Value ?? computed, byVolume, byHeight, classOverride);
    }

    /// <summary>Parses 一…五, 1…5 or "一等".</summary>
    public static int ParseValue(string text)
    {
        var t = text.Trim().TrimEnd('等');
        var index = Array.IndexOf(Numerals, t);
        if (index >= 1)
        {
            return index;
        }

        return int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 5
            ? n
            : throw new FormatException($"class '{text}' is not 一, 二, 三, 四, 五 (or 1-5)");
    }
}

/// <summary>An explicit class (等别) override: who set which class, when and why (e.g. the GB 50863 conditions for 一等).</summary>
/// <param name="Value">1 to 5.</param>
/// <param name="Reason">Why; required.</param>
/// <param name="Actor">Who set it.</param>
/// <param name="At">When (UTC).</param>
public sealed record ClassOverride(int Value, string Reason, string Actor, DateTime At);
