namespace GeoMine.Geo.Licences;

/// <summary>Something wrong (or worth a warning) in a licence text, with the line it is on.</summary>
/// <param name="LineNumber">1-based line number, 0 when the problem concerns the whole text.</param>
/// <param name="Message">What is wrong, in words a bureau clerk can act on.</param>
public sealed record LicenceProblem(int LineNumber, string Message)
{
    /// <inheritdoc />
    public override string ToString() => LineNumber > 0 ? $"line {LineNumber}: {Message}" : Message;
}
