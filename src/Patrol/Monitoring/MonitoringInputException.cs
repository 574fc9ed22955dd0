namespace GeoMine.Patrol.Monitoring;

/// <summary>Readings, a threshold or a point refused; every problem names its field (and reading). Nothing was stored.</summary>
public sealed class MonitoringInputException(IReadOnlyList<string> problems)
    : Exception(problems.Count <= MaxShown
        ? string.Join("; ", problems)
        : string.Join("; ", problems.Take(MaxShown)) + $"; and {problems.Count - MaxShown} more")
{
    private const int MaxShown = 20;

    /// <summary>One problem.</summary>
    public MonitoringInputException(string problem)
        : this([problem])
    {
    }

    /// <summary>Every problem found, each <c>field: reason</c>.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
