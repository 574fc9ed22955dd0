namespace GeoMine.Geo.Geofence;

/// <summary>
/// Holds the current <see cref="GeofenceIndex"/>; readers take <see cref="Current"/> once per batch,
/// a reload builds a new index off to the side and swaps it in with one atomic reference write.
/// </summary>
public sealed class GeofenceIndexHolder(GeofenceIndex initial)
{
    private GeofenceIndex _current = initial ?? throw new ArgumentNullException(nameof(initial));

    /// <summary>The index in force.</summary>
    public GeofenceIndex Current => Volatile.Read(ref _current);

    /// <summary>Puts <paramref name="next"/> in force; returns the one it replaces.</summary>
    public GeofenceIndex Swap(GeofenceIndex next) =>
        Interlocked.Exchange(ref _current, next ?? throw new ArgumentNullException(nameof(next)));

    /// <summary>Rebuilds from PostGIS (<see cref="GeofenceLoader"/>) and swaps the result in.</summary>
    public async Task<GeofenceIndex> ReloadAsync(string connectionString, double shaftRadiusMetres, CancellationToken cancellationToken = default)
    {
        var areas = await GeofenceLoader.LoadAsync(connectionString, shaftRadiusMetres, cancellationToken);
        var next = GeofenceIndex.Build(areas, maxAccuracyMetres: Current.MaxAccuracyMetres);
        Swap(next);
        return next;
    }
}
