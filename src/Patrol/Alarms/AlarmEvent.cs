namespace GeoMine.Patrol.Alarms;

/// <summary>One step of an alarm's audit trail (<c>alarm_event</c>). <paramref name="At"/> is UTC;
/// <paramref name="FromState"/> is null for the raise itself.</summary>
public sealed record AlarmEvent(DateTime At, string Actor, string? FromState, string ToState, string? Note);
