namespace GeoMine.Patrol.Records;

/// <summary>A patrol record as sent from the field. Coordinates WGS84/CGCS2000 degrees; accuracy in metres.</summary>
/// <param name="ShaftCode">The sealed shaft's code.</param>
/// <param name="PersonName">Who patrolled.</param>
/// <param name="Kind"><c>on_site</c> or <c>online</c> (video or remote check, 线上巡查).</param>
/// <param name="RecordedAtUtc">When, UTC.</param>
/// <param name="Longitude">Where the patroller stood (required on site).</param>
/// <param name="Latitude">Where the patroller stood (required on site).</param>
/// <param name="AccuracyMetres">The phone's accuracy radius, metres.</param>
/// <param name="SealCondition">intact, damaged, opened, or signs_of_entry.</param>
/// <param name="Remarks">Free text.</param>
/// <param name="DeviceKey">The phone that sent it, if registered.</param>
public sealed record PatrolRecordInput(
    string ShaftCode,
    string PersonName,
    string Kind,
    DateTime RecordedAtUtc,
    double? Longitude,
    double? Latitude,
    double? AccuracyMetres,
    string SealCondition,
    string? Remarks,
    string? DeviceKey);
