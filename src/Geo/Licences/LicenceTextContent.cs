namespace GeoMine.Geo.Licences;

/// <summary>What <see cref="LicenceTextReader"/> found in a licence text, before any geometry is built.</summary>
public sealed record LicenceTextContent
{
    /// <summary>Licence number, holder, mine, mineral, validity, as stated in the text.</summary>
    public LicenceParticulars Particulars { get; init; } = new();

    /// <summary>Elevation range stated in a sentence (开采标高自 A 米至 B 米), metres, with its line.</summary>
    public (double UpperMetres, double LowerMetres, int Line)? StatedElevation { get; init; }

    /// <summary>Area stated in the text (矿区面积), km², with its line.</summary>
    public (double SquareKilometres, int Line)? StatedArea { get; init; }

    /// <summary>True when the text declares CGCS2000 (2000国家大地坐标系).</summary>
    public bool DeclaresCgcs2000 { get; init; }

    /// <summary>The old datum the text declares (Xi'an 1980, Beijing 1954), the words it uses and their line.</summary>
    public (GeoMine.Geo.Crs.GeodeticDatum Datum, string Words, int Line)? DeclaredLegacyDatum { get; init; }

    /// <summary>The rings of corner points in text order.</summary>
    public IReadOnlyList<CornerRing> Rings { get; init; } = [];

    /// <summary>Errors found while reading.</summary>
    public IReadOnlyList<LicenceProblem> Errors { get; init; } = [];

    /// <summary>Warnings (something fixed or assumed).</summary>
    public IReadOnlyList<LicenceProblem> Warnings { get; init; } = [];
}
