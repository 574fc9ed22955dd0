namespace GeoMine.Patrol.Responsibility;

/// <summary>A person as the town office names them: name and mobile phone. The same name and phone
/// is the same <c>person</c> row.</summary>
public sealed record ContactPerson(string Name, string? Phone);
