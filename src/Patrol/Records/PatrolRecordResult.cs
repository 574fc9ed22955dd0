namespace GeoMine.Patrol.Records;

/// <summary>What storing a record did.</summary>
/// <param name="Id">The record's id.</param>
/// <param name="DistanceMetres">Geodesic distance from the shaft, metres (null online).</param>
/// <param name="AtSite">Within the visit radius + accuracy (always false online).</param>
/// <param name="CountsAsVisit">Stored as a visit too.</param>
/// <param name="AlarmId">The alarm its finding raised, if any.</param>
public sealed record PatrolRecordResult(long Id, double? DistanceMetres, bool AtSite, bool CountsAsVisit, long? AlarmId);
