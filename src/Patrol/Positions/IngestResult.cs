namespace GeoMine.Patrol.Positions;

/// <summary>What happened to a submitted set of fixes. Returned only after the stored ones are committed.</summary>
/// <param name="Submitted">Fixes received.</param>
/// <param name="Stored">Fixes committed now.</param>
/// <param name="Rejected">Refused fixes by reason (duplicates included).</param>
public sealed record IngestResult(int Submitted, int Stored, IReadOnlyDictionary<RejectionReason, int> Rejected);
