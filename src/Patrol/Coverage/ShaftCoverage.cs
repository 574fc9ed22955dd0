using GeoMine.Patrol.Obligations;

namespace GeoMine.Patrol.Coverage;

/// <summary>One sealed shaft over a coverage period. Times UTC.</summary>
/// <param name="Code">Shaft code.</param>
/// <param name="Mine">Closed mine code.</param>
/// <param name="Town">Town name, if the mine has one.</param>
/// <param name="Longitude">CGCS2000 longitude, degrees.</param>
/// <param name="Latitude">CGCS2000 latitude, degrees.</param>
/// <param name="Responsible">一对一责任人 at the end of the period, if any.</param>
/// <param name="Rating">Status, next due, as of the end of the period (the overdue job's rule).</param>
/// <param name="LastVisitAt">Arrival of the latest visit before the end of the period.</param>
/// <param name="VisitsInPeriod">Visits arriving within the period.</param>
/// <param name="Interval">The shaft's patrol interval.</param>
/// <param name="VisitedWithinInterval">At every instant of the period the latest visit was less than one interval old
/// (never overdue in the period).</param>
public sealed record ShaftCoverage(
    string Code,
    string Mine,
    string? Town,
    double Longitude,
    double Latitude,
    string? Responsible,
    ShaftPatrolRating Rating,
    DateTime? LastVisitAt,
    int VisitsInPeriod,
    TimeSpan Interval,
    bool VisitedWithinInterval);
