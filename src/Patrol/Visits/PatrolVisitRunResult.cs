namespace GeoMine.Patrol.Visits;

/// <summary>One run of the visits job: positions received in (<paramref name="FromExclusive"/>, <paramref name="ToInclusive"/>] (UTC),
/// the patrol phones they came from, and the visits those phones' rescanned periods now hold.</summary>
public sealed record PatrolVisitRunResult(DateTime FromExclusive, DateTime ToInclusive, int Devices, int Visits);
