namespace GeoMine.Patrol.Alarms;

/// <summary>The alarm changed since the caller read it, or is not in a state that allows the step.</summary>
public sealed class AlarmConflictException(string message) : Exception(message);
