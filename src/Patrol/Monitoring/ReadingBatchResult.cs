namespace GeoMine.Patrol.Monitoring;

/// <summary>A committed batch: readings submitted, newly stored, already stored (exact re-sends), and the new rating
/// of every pond the batch touched.</summary>
public sealed record ReadingBatchResult(int Submitted, int Stored, int AlreadyStored, IReadOnlyList<PondLevel> Ponds);
