namespace GeoMine.Geo.Crs;

/// <summary>A line of <c>x y [z]</c> input that could not be transformed.</summary>
/// <param name="LineNumber">1-based line number in the input.</param>
/// <param name="Message">What is wrong with it.</param>
public sealed record CoordinateLineProblem(int LineNumber, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"line {LineNumber}: {Message}";
}
