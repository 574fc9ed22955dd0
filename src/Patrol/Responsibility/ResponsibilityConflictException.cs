namespace GeoMine.Patrol.Responsibility;

/// <summary>The change would leave two holders of one role at some instant, or a handover has no current holder to hand over from.</summary>
public sealed class ResponsibilityConflictException(string message) : Exception(message);
