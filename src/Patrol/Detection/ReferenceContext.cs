using GeoMine.Geo.Geofence;

namespace GeoMine.Patrol.Detection;

/// <summary>What the rules need to know about the watched objects besides their geometry.</summary>
/// <param name="Licences">Mining right id → licence number, holder, validity (China dates, either end may be unknown); the bands
/// come with the geofence hits, block by block.</param>
/// <param name="ShaftMines">Sealed shaft id → (closed mine id, shaft code).</param>
/// <param name="Mines">Closed mine id → name.</param>
/// <param name="DisusedPonds">Tailings pond id → (name, disused since) for ponds with status disused.</param>
/// <param name="Index">The geofence index the fixes are classified with.</param>
public sealed record ReferenceContext(
    IReadOnlyDictionary<long, (string LicenceNo, string? Holder, DateOnly? ValidFrom, DateOnly? ValidTo)> Licences,
    IReadOnlyDictionary<long, (long MineId, string Code)> ShaftMines,
    IReadOnlyDictionary<long, string> Mines,
    IReadOnlyDictionary<long, (string Name, DateOnly? DisusedSince)> DisusedPonds,
    GeofenceIndex Index);
