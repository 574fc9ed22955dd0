namespace GeoMine.Geo.Geofence;

/// <summary>What <see cref="GeofenceIndex.Classify"/> found for one position. Areas not listed are outside.</summary>
public sealed class GeofenceResult(IReadOnlyList<GeofenceHit> hits, ShaftDistance? nearestShaft)
{
    /// <summary>Nothing within reach.</summary>
    public static GeofenceResult Empty { get; } = new([], null);

    /// <summary>Areas the position is inside of, or within its accuracy of the boundary.</summary>
    public IReadOnlyList<GeofenceHit> Hits { get; } = hits;

    /// <summary>The nearest sealed shaft whose protection circle (radius + accuracy) reaches the position, or null.</summary>
    public ShaftDistance? NearestShaft { get; } = nearestShaft;

    /// <summary>The hit for <paramref name="kind"/> and <paramref name="areaId"/>, or Outside.</summary>
    public Containment ContainmentOf(GeofenceAreaKind kind, long areaId)
    {
        foreach (var hit in Hits)
        {
            if (hit.AreaId == areaId && hit.Kind == kind)
            {
                return hit.Containment;
            }
        }

        return Containment.Outside;
    }
}
