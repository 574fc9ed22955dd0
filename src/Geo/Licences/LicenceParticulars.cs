namespace GeoMine.Geo.Licences;

/// <summary>The header facts of a mining licence (采矿许可证), as its text states them; null when not stated.</summary>
public sealed record LicenceParticulars
{
    /// <summary>采矿许可证号.</summary>
    public string? LicenceNo { get; init; }

    /// <summary>采矿权人.</summary>
    public string? Holder { get; init; }

    /// <summary>矿山名称.</summary>
    public string? MineName { get; init; }

    /// <summary>开采矿种.</summary>
    public string? Mineral { get; init; }

    /// <summary>有效期 start.</summary>
    public DateOnly? ValidFrom { get; init; }

    /// <summary>有效期 end.</summary>
    public DateOnly? ValidTo { get; init; }
}
