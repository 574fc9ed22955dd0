using GeoMine.Geo.Geofence;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// The synthetic patrol workload of <c>geomine bench patrol</c>. Sealed shafts cluster in mining districts: 40 districts
/// in the coal country of the south-west (103.5–110°E, 24.5–31°N), each split into towns of 8 × 8 km; a mine lies
/// anywhere in its town and has 1–5 shafts within a few hundred metres of it. Each patrol phone belongs to one
/// responsible person who answers for the shafts of one or more towns (or a share of one town). Every day the person
/// starts at one of their shafts and, for one shift, walks at 1.0–1.5 m/s to the nearest shaft not yet visited that day,
/// stays 3–8 min, walks on; a fix every 10 s with 3–15 m noise (2 % of fixes 50–150 m). Devices report in step, so fixes
/// come out in time order across all devices, each device's in its own time order.
/// </summary>
internal sealed class PatrolWorkload
{
    /// <summary>Seconds between fixes of a phone.</summary>
    public const int FixSeconds = 10;

    private const int Districts = 40;
    private const double TownSideDegrees = 0.08;

    private readonly Random _random;

    public PatrolWorkload(int shafts, long points, int days, int seed)
    {
        _random = new Random(seed);
        Days = days;
        var towns = Math.Max(1, shafts / 250);
        var districtCentres = Enumerable.Range(0, Districts).Select(_ => (Lon: 103.5 + (_random.NextDouble() * 6.5), Lat: 24.5 + (_random.NextDouble() * 6.5))).ToArray();
        var perRow = (int)Math.Ceiling(Math.Sqrt(Math.Max(1, towns / Districts)));
        Towns = Enumerable.Range(0, towns).Select(t =>
        {
            var (lon, lat) = districtCentres[t % Districts];
            var k = t / Districts;
            return new Town(t, lon + ((k % perRow) * TownSideDegrees), lat + ((k / perRow) * TownSideDegrees));
        }).ToArray();

        var mines = new List<Mine>();
        var shaftList = new List<Shaft>();
        while (shaftList.Count < shafts)
        {
            var town = Towns[_random.Next(Towns.Count)];
            var mine = new Mine(mines.Count, town.Index, town.Lon + (_random.NextDouble() * TownSideDegrees), town.Lat + (_random.NextDouble() * TownSideDegrees),
                Pick(["sealed", "sealed", "sealed", "sealed", "sealed", "sealed", "sealed", "closed", "closed", "stopped", "closing"]),
                _random.NextDouble() < 0.2 ? null : Pick(["A", "B", "B", "C", "C", "D"]));
            mines.Add(mine);
            var (kx, ky) = LocalMetricPlane.MetresPerDegree(mine.Lat);
            for (var s = 1 + _random.Next(5); s > 0 && shaftList.Count < shafts; s--)
            {
                shaftList.Add(new Shaft(shaftList.Count, mine.Index, mine.Lon + (Gaussian() * 120 / kx), mine.Lat + (Gaussian() * 120 / ky)));
            }
        }

        Mines = mines;
        Shafts = shaftList;
        var shiftFixes = 8 * 3600 / FixSeconds;
        Devices = (int)Math.Max(1, Math.Ceiling(points / (double)(days * shiftFixes)));
        StepsPerDay = (int)Math.Max(1, points / ((long)Devices * days));

        // Each person answers for the shafts of some towns, or for a share of one town's shafts.
        var byTown = Shafts.GroupBy(s => Mines[s.Mine].Town).ToDictionary(g => g.Key, g => g.ToList());
        var owned = Enumerable.Range(0, Devices).Select(_ => new List<Shaft>()).ToArray();
        for (var t = 0; t < Towns.Count; t++)
        {
            List<int> holders = Devices <= Towns.Count ? [t % Devices] : Enumerable.Range(0, Devices).Where(d => d % Towns.Count == t).ToList();
            var list = byTown.GetValueOrDefault(t) ?? [];
            for (var i = 0; i < list.Count; i++)
            {
                owned[holders[i % holders.Count]].Add(list[i]);
            }
        }

        ResponsibleOf = new int[Shafts.Count];
        for (var d = 0; d < Devices; d++)
        {
            foreach (var shaft in owned[d])
            {
                ResponsibleOf[shaft.Index] = d;
            }
        }

        _walkers = owned.Select((list, d) => new Walker(d, list, 1.0 + (_random.NextDouble() * 0.5))).ToArray();
    }

    public int Days { get; }

    public IReadOnlyList<Town> Towns { get; }

    public IReadOnlyList<Mine> Mines { get; }

    public IReadOnlyList<Shaft> Shafts { get; }

    public int Devices { get; }

    /// <summary>Fixes per device per day (one shift).</summary>
    public int StepsPerDay { get; }

    /// <summary>Device (= person) responsible for each shaft.</summary>
    public int[] ResponsibleOf { get; }

    private readonly Walker[] _walkers;

    /// <summary>Every fix of the run in time order: day by day, shift step by step, every device at each step.
    /// <paramref name="shiftEnds"/>[day] is when that day's shift ends (UTC).</summary>
    public IEnumerable<Fix> Fixes(IReadOnlyList<DateTime> shiftEnds)
    {
        for (var day = 0; day < Days; day++)
        {
            var start = shiftEnds[day].AddSeconds(-StepsPerDay * FixSeconds);
            foreach (var walker in _walkers)
            {
                walker.StartDay(this);
            }

            for (var step = 0; step < StepsPerDay; step++)
            {
                var time = start.AddSeconds(step * FixSeconds);
                foreach (var walker in _walkers)
                {
                    if (walker.Shafts.Count > 0)
                    {
                        yield return walker.Step(this, time);
                    }
                }
            }
        }
    }

    private T Pick<T>(T[] values) => values[_random.Next(values.Length)];

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    internal readonly record struct Fix(int Device, DateTime Time, double Lon, double Lat, double AccuracyMetres);

    internal sealed record Town(int Index, double Lon, double Lat);

    internal sealed record Mine(int Index, int Town, double Lon, double Lat, string Status, string? RiskClass);

    internal sealed record Shaft(int Index, int Mine, double Lon, double Lat);

    /// <summary>One person's day: walk to the nearest shaft not yet visited today, stay, walk on.</summary>
    private sealed class Walker(int device, List<Shaft> shafts, double speedMetresPerSecond)
    {
        private readonly HashSet<int> _visitedToday = [];
        private double _lon;
        private double _lat;
        private Shaft? _target;
        private int _dwellSteps;

        public List<Shaft> Shafts { get; } = shafts;

        public void StartDay(PatrolWorkload w)
        {
            _visitedToday.Clear();
            if (Shafts.Count == 0)
            {
                return;
            }

            var first = Shafts[w._random.Next(Shafts.Count)];
            (_lon, _lat, _target, _dwellSteps) = (first.Lon, first.Lat, first, 0);
        }

        public Fix Step(PatrolWorkload w, DateTime time)
        {
            var (kx, ky) = LocalMetricPlane.MetresPerDegree(_lat);
            if (_dwellSteps > 0)
            {
                _dwellSteps--;
                if (_dwellSteps == 0)
                {
                    _target = Nearest();
                }
            }
            else if (_target is { } target)
            {
                var dx = (target.Lon - _lon) * kx;
                var dy = (target.Lat - _lat) * ky;
                var distance = Math.Sqrt((dx * dx) + (dy * dy));
                var stride = speedMetresPerSecond * FixSeconds * (0.8 + (w._random.NextDouble() * 0.4));
                if (distance <= stride)
                {
                    (_lon, _lat) = (target.Lon, target.Lat);
                    _visitedToday.Add(target.Index);
                    _dwellSteps = (3 * 60 / FixSeconds) + w._random.Next(5 * 60 / FixSeconds); // 3–8 min
                }
                else
                {
                    _lon += dx / distance * stride / kx;
                    _lat += dy / distance * stride / ky;
                }
            }

            var noise = w._random.NextDouble() < 0.02 ? 50 + (w._random.NextDouble() * 100) : 3 + (w._random.NextDouble() * 12);
            var angle = w._random.NextDouble() * 2 * Math.PI;
            var offset = noise * 0.5 * w._random.NextDouble();
            return new Fix(device, time, _lon + (offset * Math.Cos(angle) / kx), _lat + (offset * Math.Sin(angle) / ky), noise);
        }

        private Shaft Nearest()
        {
            Shaft? best = null;
            var bestDistance = double.MaxValue;
            foreach (var s in Shafts)
            {
                if (_visitedToday.Contains(s.Index))
                {
                    continue;
                }

                var d = Math.Pow(s.Lon - _lon, 2) + Math.Pow(s.Lat - _lat, 2);
                if (d < bestDistance)
                {
                    (best, bestDistance) = (s, d);
                }
            }

            if (best is null)
            {
                _visitedToday.Clear(); // all done today: start another round
                return Shafts[0];
            }

            return best;
        }
    }
}
