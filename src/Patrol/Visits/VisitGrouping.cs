namespace GeoMine.Patrol.Visits;

/// <summary>Groups one device's fixes, in time order, into visits: per shaft, a run of consecutive fixes
/// all at that shaft, no two further apart than the gap, lasting at least the dwell. A fix away from the
/// shaft, or a silence longer than the gap, ends the run.</summary>
internal static class VisitGrouping
{
    /// <param name="rows">One row per (fix, shaft within reach), or (fix, null) for a fix near no shaft;
    /// ordered by fix time. Distance in metres.</param>
    /// <param name="minDwell">Shortest visit, first to last fix.</param>
    /// <param name="maxGap">Longest silence inside a visit.</param>
    public static IEnumerable<PatrolVisit> Group(
        IReadOnlyList<(DateTime Time, long? Shaft, string? Code, double Distance)> rows, TimeSpan minDwell, TimeSpan maxGap)
    {
        var open = new Dictionary<long, Run>();
        var found = new List<PatrolVisit>();
        DateTime? previous = null;
        for (var i = 0; i < rows.Count;)
        {
            var time = rows[i].Time;
            var here = new Dictionary<long, (string Code, double Distance)>();
            for (; i < rows.Count && rows[i].Time == time; i++)
            {
                if (rows[i].Shaft is { } shaft)
                {
                    here[shaft] = (rows[i].Code!, rows[i].Distance);
                }
            }

            var silence = previous is { } p && time - p > maxGap;
            foreach (var shaft in open.Keys.Where(s => silence || !here.ContainsKey(s)).ToList())
            {
                Close(open[shaft], minDwell, found);
                open.Remove(shaft);
            }

            foreach (var (shaft, (code, distance)) in here)
            {
                if (open.TryGetValue(shaft, out var run))
                {
                    run.Last = time;
                    run.Fixes++;
                    run.MinDistance = Math.Min(run.MinDistance, distance);
                }
                else
                {
                    open[shaft] = new Run(shaft, code, time, distance);
                }
            }

            previous = time;
        }

        foreach (var run in open.Values)
        {
            Close(run, minDwell, found);
        }

        return found.OrderBy(v => v.ArrivedAt);
    }

    private static void Close(Run run, TimeSpan minDwell, List<PatrolVisit> found)
    {
        if (run.Last - run.First >= minDwell)
        {
            found.Add(new PatrolVisit(run.Shaft, run.Code, null, null, run.First, run.Last, run.MinDistance, run.Fixes, "track"));
        }
    }

    private sealed class Run(long shaft, string code, DateTime first, double distance)
    {
        public long Shaft { get; } = shaft;

        public string Code { get; } = code;

        public DateTime First { get; } = first;

        public DateTime Last { get; set; } = first;

        public int Fixes { get; set; } = 1;

        public double MinDistance { get; set; } = distance;
    }
}
