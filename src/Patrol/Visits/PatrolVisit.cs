namespace GeoMine.Patrol.Visits;

/// <summary>A patrol visit to a sealed shaft. Times UTC.</summary>
/// <param name="ShaftId">sealed_shaft id.</param>
/// <param name="ShaftCode">Its code, e.g. YC-CM-001-J1.</param>
/// <param name="DeviceId">The patrol phone (null for a visit recorded by hand).</param>
/// <param name="PersonId">The phone's owner, when registered as a person.</param>
/// <param name="ArrivedAt">First fix within the radius.</param>
/// <param name="LeftAt">Last fix within it.</param>
/// <param name="MinDistanceMetres">Closest fix, geodesic metres on the CGCS2000 ellipsoid.</param>
/// <param name="Fixes">Fixes within the radius.</param>
/// <param name="Source"><c>track</c> or <c>record</c>.</param>
public sealed record PatrolVisit(
    long ShaftId,
    string ShaftCode,
    long? DeviceId,
    long? PersonId,
    DateTime ArrivedAt,
    DateTime LeftAt,
    double? MinDistanceMetres,
    int? Fixes,
    string Source);
