namespace GeoMine.Patrol.Records;

/// <summary>What storing a record did.</summary>
/// <param name="Id">The record's id.</param>
/// <param name="DistanceMetres">Geodesic distance from the shaft, metres (null online).</param>
/// <param name="AtSite">Within the visit radius + accuracy (always false online).</param>
/// <param name="CountsAsVisit">Stored as a visit too: at site and corroborated.</param>
/// <param name="Corroboration"><c>phone_token</c> (filed by the patrol phone itself), <c>phone_fix</c> (a fix of the person's
/// phone near the shaft around the record's time) or <c>none</c> (not corroborated: kept, shown, never a visit).</param>
/// <param name="AlarmId">The alarm its finding raised, if any.</param>
public sealed record PatrolRecordResult(long Id, double? DistanceMetres, bool AtSite, bool CountsAsVisit, string Corroboration, long? AlarmId);
