namespace GeoMine.Patrol.Records;

/// <summary>A record that cannot be stored; the message names the field. Nothing was written.</summary>
public sealed class PatrolRecordException(string message) : Exception(message);
