namespace GeoMine.Viewer.Bench;

/// <summary>Sizes of the synthetic geofence workload.</summary>
internal sealed record BenchOptions(
    int Areas, int Vertices, int Shafts, int Positions, int Seed, int LinearPositions, int PostgisPositions, bool SkipPostgis, string? Db)
{
    /// <summary>Fixes per device in the whole run (devices = positions / this).</summary>
    public const int FixesPerDevice = 1000;

    /// <summary>Fixes a device uploads at once; batches of all devices interleave.</summary>
    public const int BatchSize = 10;

    /// <summary>Mining districts the licences cluster in.</summary>
    public const int Districts = 40;
}
