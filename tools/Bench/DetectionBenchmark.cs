using System.Diagnostics;
using System.Globalization;
using GeoMine.Geo.Geofence;
using GeoMine.Patrol.Detection;
using GeoMine.Patrol.Devices;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// <c>geomine bench detection</c>: the boundary-check job's in-memory work — classify each fix with the
/// geofence index and run it through the position rules (debounce state per device, alarm actions) —
/// on one thread, over the geofence benchmark's synthetic mining-district workload. Reading the fixes
/// from PostgreSQL and writing alarms are not part of this figure (the job reads each fix once, in order).
/// </summary>
internal static class DetectionBenchmark
{
    public static int Run(BenchOptions options, TextWriter output)
    {
        string F(double v, string format = "N0") => v.ToString(format, CultureInfo.InvariantCulture);
        var workload = SyntheticWorkload.Generate(options);
        var index = GeofenceIndex.Build(workload.Areas);
        var licences = workload.Areas.Where(a => a.Kind == GeofenceAreaKind.MiningRight)
            .ToDictionary(a => a.Id, a => ($"C{a.Id:D22}", (string?)null, (DateOnly?)null, (DateOnly?)null));
        var mines = workload.Areas.Where(a => a.Kind == GeofenceAreaKind.ClosedMine).ToDictionary(a => a.Id, a => $"mine {a.Id}");
        var firstMine = mines.Keys.FirstOrDefault();
        var shafts = workload.Areas.Where(a => a.Kind == GeofenceAreaKind.SealedShaft).ToDictionary(a => a.Id, a => (firstMine, $"S{a.Id}"));
        var ponds = workload.Areas.Where(a => a.Kind == GeofenceAreaKind.TailingsPond && a.Id % 3 == 0)
            .ToDictionary(a => a.Id, a => ($"pond {a.Id}", (DateOnly?)new DateOnly(2024, 1, 1)));
        var context = new ReferenceContext(licences, shafts, mines, ponds, index);

        // Each device: equipment bound to the licence it starts in (60 %), vehicles (30 %), patrol phones (10 %).
        var devices = new Device[workload.DeviceIds.Length];
        var first = new bool[devices.Length];
        foreach (var p in workload.Positions)
        {
            if (first[p.Device])
            {
                continue;
            }

            first[p.Device] = true;
            var licence = index.Classify(null, p.Longitude, p.Latitude, p.HeightMetres, p.AccuracyMetres).Hits
                .FirstOrDefault(h => h.Kind == GeofenceAreaKind.MiningRight && h.Containment == Containment.Inside);
            var kind = (p.Device % 10) switch { < 6 => "equipment", < 9 => "vehicle", _ => "patrol_phone" };
            devices[p.Device] = new Device(p.Device + 1, workload.DeviceIds[p.Device], null, kind, null,
                kind == "equipment" && licence.Kind == GeofenceAreaKind.MiningRight ? licence.AreaId : null, "wgs84", false, true, true);
        }

        output.WriteLine($"workload: as bench geofence (seed {options.Seed}): {workload.Positions.Length:N0} fixes of {devices.Length:N0} devices in time order, " +
                         "a fix every 5 s per device; 60 % equipment bound to the licence they start in, 30 % vehicles, 10 % patrol phones");
        double best = 0;
        long actionsSeen = 0;
        for (var run = 0; run < 3; run++)
        {
            var rules = new PositionRules(new DetectionOptions());
            var states = new DeviceDetectionState[devices.Length];
            var clocks = new DateTime[devices.Length];
            var actions = new List<RuleAction>();
            var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
            var timer = Stopwatch.StartNew();
            foreach (var p in workload.Positions)
            {
                var state = states[p.Device] ??= new DeviceDetectionState();
                clocks[p.Device] = clocks[p.Device] == default ? start : clocks[p.Device].AddSeconds(5);
                rules.Apply(devices[p.Device], state, new StoredFix(p.Device + 1, clocks[p.Device], p.Longitude, p.Latitude, p.HeightMetres, p.AccuracyMetres), context, actions);
                if (actions.Count > 10_000)
                {
                    actionsSeen += actions.Count;
                    actions.Clear();
                }
            }

            actionsSeen += actions.Count;
            best = Math.Max(best, workload.Positions.Length / timer.Elapsed.TotalSeconds);
        }

        output.WriteLine($"detection (classify + rules), one thread, best of 3: {F(best)} positions/s; {F(actionsSeen / 3.0)} alarm actions per pass " +
                         $"(target ≥ 1,000,000 positions/s); {(System.Reflection.Assembly.GetExecutingAssembly().GetCustomAttributes(false).OfType<DebuggableAttribute>().Any(d => d.IsJITOptimizerDisabled) ? "Debug build: use ./geomine bench for Release figures" : "Release build")}");
        return 0;
    }
}
