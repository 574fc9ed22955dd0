namespace GeoMine.Geo.Geofence;

/// <summary>What a geofence area stands for.</summary>
public enum GeofenceAreaKind
{
    /// <summary>采矿权 licensed area, usually with an elevation band (<c>mining_right</c>).</summary>
    MiningRight,

    /// <summary>关闭煤矿 closed-mine area (<c>closed_mine</c>).</summary>
    ClosedMine,

    /// <summary>封闭井口 sealed-shaft protection circle (<c>sealed_shaft</c> point + radius).</summary>
    SealedShaft,

    /// <summary>尾矿库 tailings pond (<c>tailings_pond</c>).</summary>
    TailingsPond,
}
