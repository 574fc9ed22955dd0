namespace GeoMine.Viewer.Positions;

/// <summary>A request field that cannot be read; the message names the field and says why.</summary>
internal sealed class FixParseException(string message) : Exception(message);
