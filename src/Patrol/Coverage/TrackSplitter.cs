using GeoMine.Geo;

namespace GeoMine.Patrol.Coverage;

/// <summary>
/// Cuts one device's fixes into stretches that may be joined: never across a gap longer than the
/// allowed one, never across midnight China time (UTC+8), so a patrol on one day is never joined to the
/// next day's by a straight line (a continuous walk across midnight loses the one step over midnight).
/// Stretches of a single fix are dropped: they have no length and no duration.
/// </summary>
public static class TrackSplitter
{
    /// <summary>Splits <paramref name="fixes"/> (one device, in time order) at gaps longer than
    /// <paramref name="maxGap"/> and at China midnights.</summary>
    public static IReadOnlyList<IReadOnlyList<TrackFix>> Split(IReadOnlyList<TrackFix> fixes, TimeSpan maxGap)
    {
        var stretches = new List<IReadOnlyList<TrackFix>>();
        var current = new List<TrackFix>();
        foreach (var fix in fixes)
        {
            if (current.Count > 0 && (fix.TimeUtc - current[^1].TimeUtc > maxGap || ChinaTime.Day(fix.TimeUtc) != ChinaTime.Day(current[^1].TimeUtc)))
            {
                Close();
            }

            current.Add(fix);
        }

        Close();
        return stretches;

        void Close()
        {
            if (current.Count >= 2)
            {
                stretches.Add(current);
            }

            current = [];
        }
    }
}
