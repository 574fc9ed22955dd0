namespace GeoMine.Patrol.Detection;

/// <summary>Thresholds of the position rules (configuration section <c>Detection</c>). Distances in
/// metres, durations as time spans.</summary>
public sealed class DetectionOptions
{
    /// <summary>Added to a fix's accuracy before judging it outside a boundary (surveying error of the
    /// licence corners, GPS multipath). A fix closer to the boundary than accuracy + this is "uncertain".</summary>
    public double HorizontalToleranceMetres { get; set; } = 10;

    /// <summary>Accuracy assumed for fixes that report none.</summary>
    public double DefaultAccuracyMetres { get; set; } = 15;

    /// <summary>Allowed difference between a fix's height and the licensed elevation band. GPS heights are
    /// noisy (often ±10–20 m) and phones may report ellipsoidal height, not the 1985 national height datum.</summary>
    public double VerticalToleranceMetres { get; set; } = 15;

    /// <summary>An out-of-licence alarm opens after this many consecutive fixes outside…</summary>
    public int OpenAfterFixes { get; set; } = 10;

    /// <summary>…or after this long outside, whichever comes first.</summary>
    public TimeSpan OpenAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An episode ends once the device has been back for this long.</summary>
    public TimeSpan CloseAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A silence longer than this breaks a run of fixes (the device was off, a new day began).</summary>
    public TimeSpan MaxGap { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Radius around a sealed shaft inside which a non-patrol device counts as at the shaft.</summary>
    public double ShaftRadiusMetres { get; set; } = 50;

    /// <summary>How long a non-patrol device must stay at a closed mine (area or shaft) to raise 死灰复燃 suspicion.</summary>
    public TimeSpan ClosedMineDwell { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long activity must stay in a disused tailings pond to raise reactivation suspicion.</summary>
    public TimeSpan TailingsDwell { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A pond counts as disused for the reactivation rule once disused this long (seed 002 (二十三): 6 months).</summary>
    public TimeSpan DisusedFor { get; set; } = TimeSpan.FromDays(182);

    /// <summary>Positions received less than this long ago are left for the next run, a safety margin on top of the
    /// real bound: no run reads past the start of a transaction still in progress (which may yet commit fixes received at
    /// its start). Default 0.25 s.</summary>
    public TimeSpan CommitLag { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Whether the node that stores fixes classifies them at once (within about <see cref="CommitLag"/> + a run),
    /// besides the boundary-check job every minute. Default true.</summary>
    public bool Live { get; set; } = true;
}
