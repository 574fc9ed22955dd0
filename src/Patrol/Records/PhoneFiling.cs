namespace GeoMine.Patrol.Records;

/// <summary>What the database says about a patrol phone filing a record for a shaft in its owner's name.</summary>
/// <param name="OwnerName">The phone's owner (registered person, else the owner name it was registered with); null when none.</param>
/// <param name="IsOwner">The person named on the record is the phone's owner.</param>
/// <param name="InScope">At the record's time the owner held an assignment (any role) in the shaft's town: on the town
/// itself, on one of its closed mines, shafts or tailings ponds. An unknown shaft is never in scope.</param>
public sealed record PhoneFiling(string? OwnerName, bool IsOwner, bool InScope);
