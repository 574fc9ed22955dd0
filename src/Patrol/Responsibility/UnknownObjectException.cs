namespace GeoMine.Patrol.Responsibility;

/// <summary>No shaft, mine, pond or jurisdiction has the code — or none in the caller's towns.</summary>
public sealed class UnknownObjectException(string message) : ArgumentException(message);
