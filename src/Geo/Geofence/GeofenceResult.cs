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

    /// <summary>Where the position is against <paramref name="kind"/> <paramref name="areaId"/>: Inside when inside any of its
    /// parts (a mining right's blocks are indexed one by one under the right's id), else Uncertain when near one, else Outside.</summary>
    public Containment ContainmentOf(GeofenceAreaKind kind, long areaId)
    {
        var best = Containment.Outside;
        foreach (var hit in Hits)
        {
            if (hit.AreaId == areaId && hit.Kind == kind)
            {
                if (hit.Containment == Containment.Inside)
                {
                    return Containment.Inside;
                }

                best = hit.Containment;
            }
        }

        return best;
    }

    /// <summary>The parts of <paramref name="kind"/> <paramref name="areaId"/> the position is inside of (a mining right's blocks).</summary>
    public IEnumerable<GeofenceHit> InsideOf(GeofenceAreaKind kind, long areaId) =>
        Hits.Where(h => h.AreaId == areaId && h.Kind == kind && h.Containment == Containment.Inside);
}
