namespace GeoMine.Geo.Import;

/// <summary>The reference layers GeoMine imports and exports (CLI names in brackets).</summary>
public enum LayerKind
{
    /// <summary>Towns and streets 镇街 (<c>towns</c>).</summary>
    Towns,

    /// <summary>Villages and communities 村社区 (<c>villages</c>).</summary>
    Villages,

    /// <summary>Closed coal mines 关闭煤矿 (<c>closed-mines</c>).</summary>
    ClosedMines,

    /// <summary>Sealed shafts 封闭井口 (<c>shafts</c>).</summary>
    Shafts,

    /// <summary>Mining rights 采矿权 with licensed area and elevation range (<c>mining-rights</c>).</summary>
    MiningRights,

    /// <summary>Tailings ponds 尾矿库 (<c>tailings</c>).</summary>
    Tailings,

    /// <summary>Downstream flow paths of tailings ponds, lines keyed by pond code (<c>tailings-flow-paths</c>).</summary>
    TailingsFlowPaths,

    /// <summary>Starter-dam toe points of tailings ponds, keyed by pond code (<c>tailings-dam-toes</c>).</summary>
    TailingsDamToes,

    /// <summary>Dam crest lines (坝顶轴线) of tailings ponds, keyed by pond code (<c>tailings-dam-crests</c>).</summary>
    TailingsDamCrests,

    /// <summary>Residents, schools, hospitals, factories (<c>facilities</c>).</summary>
    Facilities,
}
