namespace GeoMine.Patrol.Alarms;

/// <summary>The end of a condition's running episode (see <see cref="AlarmStore.EndEpisodesAsync"/>).</summary>
/// <param name="Kind">Alarm kind.</param>
/// <param name="ObjectKind">Table of the object.</param>
/// <param name="ObjectId">Its id.</param>
/// <param name="DeviceId">The device of a per-device condition, else null.</param>
/// <param name="EndedAt">When the condition stopped holding (UTC).</param>
public sealed record EpisodeEnd(string Kind, string ObjectKind, long ObjectId, long? DeviceId, DateTime EndedAt);
