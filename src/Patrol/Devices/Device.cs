namespace GeoMine.Patrol.Devices;

/// <summary>A registered (or first-seen) position source.</summary>
/// <param name="Id">Database id.</param>
/// <param name="Key">The identifier the device sends.</param>
/// <param name="Name">Display name.</param>
/// <param name="Kind">patrol_phone, vehicle, equipment, underground_tag or unknown.</param>
/// <param name="OwnerName">Person or licence holder it belongs to.</param>
/// <param name="MiningRightId">The licence the equipment is bound to (越界/超层 checks), if any.</param>
/// <param name="CoordinateSystem">wgs84, or gcj02 for fixes from Chinese consumer map SDKs (corrected on ingest).</param>
/// <param name="HasToken">True when fixes must carry the device's ingest token.</param>
/// <param name="Registered">False for a device first seen sending fixes and never registered.</param>
/// <param name="Enabled">False: its fixes are refused and counted.</param>
public sealed record Device(
    long Id,
    string Key,
    string? Name,
    string Kind,
    string? OwnerName,
    long? MiningRightId,
    string CoordinateSystem,
    bool HasToken,
    bool Registered,
    bool Enabled)
{
    /// <summary>Device kinds.</summary>
    public static readonly string[] Kinds = ["patrol_phone", "vehicle", "equipment", "underground_tag", "unknown"];
}
