using System.Globalization;

namespace GeoMine.Patrol.Monitoring;

/// <summary>
/// The warning values of one item at one pond (GB 39496-2020 5.5.4: given by the design unit), in the item's
/// canonical unit. A level whose value is null is never reached by itself. A level is reached when the value
/// reaches its threshold: <c>value ≥ threshold</c> for <see cref="ThresholdDirection.Above"/>, <c>value ≤
/// threshold</c> for <see cref="ThresholdDirection.Below"/>. Thresholds must be monotone in the direction of
/// danger (above: blue &lt; yellow &lt; orange &lt; red; below: blue &gt; yellow &gt; orange &gt; red), otherwise a
/// higher level would be reached before a lower one.
/// </summary>
public sealed record MonitoringThresholds(double? Blue, double? Yellow, double? Orange, double? Red, ThresholdDirection Direction)
{
    /// <summary>Problems that make these thresholds unusable (none: valid), each naming the level.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var levels = Levels();
        if (levels.Count == 0)
        {
            problems.Add("at least one of blue, yellow, orange, red is needed");
        }

        foreach (var (level, value) in levels)
        {
            if (!double.IsFinite(value))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{level.Code()}: {value} is not a number"));
            }
        }

        for (var i = 1; i < levels.Count; i++)
        {
            var (lower, lowerValue) = levels[i - 1];
            var (higher, higherValue) = levels[i];
            if (Direction == ThresholdDirection.Above && !(higherValue > lowerValue))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{higher.Code()}: {higherValue} must be above {lower.Code()} {lowerValue} (direction above: higher values are worse)"));
            }
            else if (Direction == ThresholdDirection.Below && !(higherValue < lowerValue))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{higher.Code()}: {higherValue} must be below {lower.Code()} {lowerValue} (direction below: lower values are worse)"));
            }
        }

        return problems;
    }

    /// <summary>The highest level <paramref name="value"/> reaches (normal when none).</summary>
    public WarningLevel LevelOf(double value)
    {
        var reached = WarningLevel.Normal;
        foreach (var (level, threshold) in Levels())
        {
            if (Direction == ThresholdDirection.Above ? value >= threshold : value <= threshold)
            {
                reached = level;
            }
        }

        return reached;
    }

    /// <summary>The threshold of <paramref name="level"/>, or null.</summary>
    public double? Of(WarningLevel level) => level switch
    {
        WarningLevel.Blue => Blue,
        WarningLevel.Yellow => Yellow,
        WarningLevel.Orange => Orange,
        WarningLevel.Red => Red,
        _ => null,
    };

    private List<(WarningLevel Level, double Value)> Levels()
    {
        var levels = new List<(WarningLevel, double)>(4);
        foreach (var level in (WarningLevel[])[WarningLevel.Blue, WarningLevel.Yellow, WarningLevel.Orange, WarningLevel.Red])
        {
            if (Of(level) is { } value)
            {
                levels.Add((level, value));
            }
        }

        return levels;
    }
}
