namespace GeoMine.Patrol.Responsibility;

/// <summary>One dated responsibility: <paramref name="Person"/> holds <paramref name="Role"/> for the object
/// from <paramref name="ValidFrom"/> (inclusive) to <paramref name="ValidTo"/> (exclusive; null = still holds it). Times UTC.</summary>
public sealed record Assignment(
    long Id,
    string Role,
    string ObjectKind,
    long ObjectId,
    long PersonId,
    ContactPerson Person,
    DateTime ValidFrom,
    DateTime? ValidTo);
