namespace GeoMine.Patrol.Records;

/// <summary>A stored patrol record as read back. Coordinates CGCS2000 (EPSG:4490) degrees, lon/lat; distances metres; times UTC.</summary>
/// <param name="Id">patrol_record.id.</param>
/// <param name="ShaftCode">The sealed shaft.</param>
/// <param name="MineCode">Its closed mine.</param>
/// <param name="TownCode">The mine's town (jurisdiction code), if known.</param>
/// <param name="PersonName">Who patrolled, as named on the record.</param>
/// <param name="Kind"><c>on_site</c> or <c>online</c>.</param>
/// <param name="RecordedAtUtc">When the record says it was made.</param>
/// <param name="ReceivedAtUtc">When the server stored it.</param>
/// <param name="Longitude">Where the patroller stood (null online).</param>
/// <param name="Latitude">Where the patroller stood (null online).</param>
/// <param name="AccuracyMetres">The phone's accuracy radius.</param>
/// <param name="DistanceMetres">Geodesic distance from the shaft.</param>
/// <param name="AtSite">Within the visit radius + accuracy.</param>
/// <param name="CountsAsVisit">At site, on site and corroborated.</param>
/// <param name="Corroboration"><c>phone_token</c>, <c>phone_fix</c> or <c>none</c>.</param>
/// <param name="SealCondition">intact, damaged, opened or signs_of_entry.</param>
/// <param name="Remarks">Free text.</param>
/// <param name="FiledBy">The signed-in user's actor name or "phone KEY".</param>
/// <param name="DeviceKey">The device named on the record.</param>
/// <param name="Photos">Its photos, in the order sent.</param>
public sealed record PatrolRecordSummary(
    long Id, string ShaftCode, string MineCode, string? TownCode, string PersonName, string Kind,
    DateTime RecordedAtUtc, DateTime ReceivedAtUtc, double? Longitude, double? Latitude, double? AccuracyMetres,
    double? DistanceMetres, bool AtSite, bool CountsAsVisit, string Corroboration, string SealCondition, string? Remarks,
    string FiledBy, string? DeviceKey, IReadOnlyList<PatrolRecordPhotoInfo> Photos);

/// <summary>A photo of a record, without its bytes.</summary>
/// <param name="Id">patrol_record_photo.id.</param>
/// <param name="MediaType">image/jpeg or image/png, judged by content.</param>
/// <param name="SizeBytes">Its size.</param>
/// <param name="Sha256">Hex SHA-256 of the bytes as stored.</param>
public sealed record PatrolRecordPhotoInfo(long Id, string MediaType, int SizeBytes, string Sha256);
