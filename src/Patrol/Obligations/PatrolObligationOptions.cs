using System.Text.Json;

namespace GeoMine.Patrol.Obligations;

/// <summary>
/// How often sealed shafts must be patrolled (configuration section <c>Patrol:Obligations</c>).
/// The interval of a shaft (<see cref="IntervalOf"/>): its own entry in <see cref="IntervalByShaft"/> when it has one;
/// else the shorter (stricter) of its mine's risk-class interval (<see cref="IntervalByRiskClass"/>) and closure-status
/// interval (<see cref="IntervalByMineStatus"/>), counting only those the mine has and the configuration lists;
/// else <see cref="DefaultInterval"/>. With the default tables every closure status has an entry, so the default
/// applies only to a status configured out of them.
/// </summary>
public sealed class PatrolObligationOptions
{
    /// <summary>Longest time allowed between two visits of a shaft when nothing more particular applies.</summary>
    public TimeSpan DefaultInterval { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Intervals of particular shafts, by shaft code (e.g. a damaged seal patrolled every 3 days). Wins over everything else.</summary>
    public Dictionary<string, TimeSpan> IntervalByShaft { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Intervals by the mine's <c>closure_status</c>. Defaults: a closing or stopped mine, whose workings are still
    /// open (三禁一限, resident watch 驻矿盯守), daily; a closed or sealed mine weekly.</summary>
    public Dictionary<string, TimeSpan> IntervalByMineStatus { get; set; } = new(StringComparer.Ordinal)
    {
        ["closing"] = TimeSpan.FromDays(1),
        ["stopped"] = TimeSpan.FromDays(1),
        ["closed"] = TimeSpan.FromDays(7),
        ["sealed"] = TimeSpan.FromDays(7),
    };

    /// <summary>Intervals by the mine's risk class (seed 001 §(七), 分级分类监管): A is the highest safety assurance,
    /// D the lowest, so D is patrolled most often. Defaults: A 14 days, B 7, C 3, D 1. A class never loosens a
    /// stricter status interval: a class-A closed mine is still patrolled weekly.</summary>
    public Dictionary<string, TimeSpan> IntervalByRiskClass { get; set; } = new(StringComparer.Ordinal)
    {
        ["A"] = TimeSpan.FromDays(14),
        ["B"] = TimeSpan.FromDays(7),
        ["C"] = TimeSpan.FromDays(3),
        ["D"] = TimeSpan.FromDays(1),
    };

    /// <summary>A shaft is "due soon" this long before its visit falls due.</summary>
    public TimeSpan DueSoon { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The due-soon window of a shaft with <paramref name="interval"/>: <see cref="DueSoon"/>, but never more than
    /// half the interval, so that a shaft patrolled daily shows "ok" right after a visit.</summary>
    public TimeSpan DueSoonWindow(TimeSpan interval) => DueSoon < interval / 2 ? DueSoon : interval / 2;

    /// <summary>Overdue by this many intervals since the last visit (2: twice the interval), the alarm turns
    /// orange and goes to the lead leader (包保领导).</summary>
    public double EscalateAfterIntervals { get; set; } = 2;

    /// <summary>The interval of shaft <paramref name="code"/> whose mine has <paramref name="mineStatus"/>
    /// (<c>closing|closed|sealed|stopped</c>) and <paramref name="riskClass"/> (<c>A|B|C|D</c>, null: not assessed):
    /// the shaft's own entry, else the shorter of the class and status intervals, else <see cref="DefaultInterval"/>.</summary>
    public TimeSpan IntervalOf(string code, string? mineStatus, string? riskClass)
    {
        if (IntervalByShaft.TryGetValue(code, out var own))
        {
            return own;
        }

        TimeSpan? byStatus = mineStatus is not null && IntervalByMineStatus.TryGetValue(mineStatus, out var s) ? s : null;
        TimeSpan? byClass = riskClass is not null && IntervalByRiskClass.TryGetValue(riskClass, out var c) ? c : null;
        return (byStatus, byClass) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => DefaultInterval,
        };
    }

    /// <summary>The longest interval any shaft can have: how far back a period's visits must be read.</summary>
    public TimeSpan LongestInterval =>
        IntervalByShaft.Values.Concat(IntervalByMineStatus.Values).Concat(IntervalByRiskClass.Values).Append(DefaultInterval).Max();

    /// <summary>These settings as text, to tell whether stored ratings (<c>patrol_rating_run.settings</c>) were made with them.</summary>
    public string Fingerprint() => JsonSerializer.Serialize(new
    {
        DefaultInterval,
        DueSoon,
        EscalateAfterIntervals,
        Shafts = IntervalByShaft.OrderBy(p => p.Key, StringComparer.Ordinal).ToList(),
        Statuses = IntervalByMineStatus.OrderBy(p => p.Key, StringComparer.Ordinal).ToList(),
        Classes = IntervalByRiskClass.OrderBy(p => p.Key, StringComparer.Ordinal).ToList(),
    });
}
