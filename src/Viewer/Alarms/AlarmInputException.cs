namespace GeoMine.Viewer.Alarms;

/// <summary>A request field of the alarms API that is missing or unreadable: answered 400 naming <see cref="Field"/>.</summary>
internal sealed class AlarmInputException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
