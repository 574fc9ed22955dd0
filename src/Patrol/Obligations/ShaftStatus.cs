using GeoMine.Patrol.Responsibility;

namespace GeoMine.Patrol.Obligations;

/// <summary>Where one sealed shaft stands at <paramref name="AtUtc"/>: its interval, latest visit, next due and who answers for it. Times UTC.</summary>
/// <param name="Code">Shaft code.</param>
/// <param name="MineCode">Its closed mine.</param>
/// <param name="TownCode">The mine's town (jurisdiction code), if known.</param>
/// <param name="MineStatus">The mine's closure status (closing, closed, sealed, stopped).</param>
/// <param name="RiskClass">The mine's risk class A–D; null: not assessed.</param>
/// <param name="AtUtc">The instant rated.</param>
/// <param name="Interval">Patrol interval (<see cref="PatrolObligationOptions.IntervalOf"/>).</param>
/// <param name="Rating">Against the interval, as the overdue job rates it.</param>
/// <param name="LastVisitAt">Arrival of the latest visit up to <paramref name="AtUtc"/>.</param>
/// <param name="Assignments">Current holders of every role on the shaft and on its mine, shaft first.</param>
public sealed record ShaftStatus(
    string Code,
    string MineCode,
    string? TownCode,
    string MineStatus,
    string? RiskClass,
    DateTime AtUtc,
    TimeSpan Interval,
    ShaftPatrolRating Rating,
    DateTime? LastVisitAt,
    IReadOnlyList<Assignment> Assignments)
{
    /// <summary>True when nobody holds <c>responsible_person</c> of the shaft at <see cref="AtUtc"/> (alarm <c>shaft_unassigned</c>).</summary>
    public bool Unassigned => !Assignments.Any(a => a.ObjectKind == "sealed_shaft" && a.Role == ResponsibilityRole.ResponsiblePerson);
}
