using GeoMine.Patrol.Monitoring;
using System.Globalization;
using System.Text.Json.Nodes;
using GeoMine.Geo.Geofence;
using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Devices;

namespace GeoMine.Patrol.Detection;

/// <summary>
/// The position rules, applied fix by fix per device in time order:
/// equipment bound to a licence outside its licensed area (越界, <c>out_of_boundary</c>) or, clearly
/// inside it, with a height outside the licensed band (超层, <c>out_of_elevation</c>; a fix without a
/// height never counts); any device that is not a patrol phone dwelling at a closed mine — in its area
/// or within <see cref="DetectionOptions.ShaftRadiusMetres"/> of a sealed shaft — (死灰复燃 suspicion,
/// <c>closed_mine_activity</c>); and activity dwelling in a pond disused for 6 months
/// (<c>tailings_activity</c>). Debounce per <see cref="EpisodeTracker"/>.
/// </summary>
public sealed class PositionRules(DetectionOptions options)
{
    /// <summary>Applies one fix; appends what the alarm table must do to <paramref name="actions"/>.</summary>
    public void Apply(Device device, DeviceDetectionState state, StoredFix fix, ReferenceContext context, List<RuleAction> actions)
    {
        if (state.LastFix is { } last && fix.Time <= last)
        {
            return; // late or repeated fix: the rules only move forward in time
        }

        state.LastFix = fix.Time;
        var accuracy = (fix.AccuracyMetres ?? options.DefaultAccuracyMetres) + options.HorizontalToleranceMetres;
        var result = context.Index.Classify(device.Key, fix.Longitude, fix.Latitude, fix.AltitudeMetres, accuracy);

        if (device.MiningRightId is { } licenceId && context.Licences.TryGetValue(licenceId, out var licence))
        {
            var containment = result.ContainmentOf(GeofenceAreaKind.MiningRight, licenceId);
            bool? outside = containment switch { Containment.Outside => true, Containment.Inside => false, _ => null };
            Track(state.OutOfBoundary, outside, fix, device, AlarmKinds.OutOfBoundary.Code, AlarmKinds.OutOfBoundary.DefaultSeverity.Code(), AlarmKinds.OutOfBoundary.ObjectKind, licenceId,
                $"越界开采：{licence.Holder ?? licence.LicenceNo} 的设备 {Label(device)} 在采矿许可证 {licence.LicenceNo} 矿区范围外作业",
                () => new JsonObject { ["licence"] = licence.LicenceNo }, actions);

            // 无证开采: working inside the licensed area on a day (China date) outside the licence's validity. The licence still defines
            // the area; unknown validity ends are not checked.
            var day = GeoMine.Geo.ChinaTime.Day(fix.Time);
            bool? notValid = containment != Containment.Inside ? null
                : (licence.ValidTo is { } until && day > until) || (licence.ValidFrom is { } since && day < since);
            Track(state.LicenceNotValid, notValid, fix, device, AlarmKinds.LicenceNotValid.Code, AlarmKinds.LicenceNotValid.DefaultSeverity.Code(), AlarmKinds.LicenceNotValid.ObjectKind, licenceId,
                licence.ValidTo is { } expired && day > expired
                    ? $"许可证过期作业：设备 {Label(device)} 在采矿许可证 {licence.LicenceNo} 范围内作业，许可证已于 {expired:yyyy-MM-dd} 到期"
                    : $"许可证未生效作业：设备 {Label(device)} 在采矿许可证 {licence.LicenceNo} 范围内作业，许可证自 {licence.ValidFrom:yyyy-MM-dd} 起有效",
                () => new JsonObject
                {
                    ["licence"] = licence.LicenceNo,
                    ["valid_from"] = licence.ValidFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["valid_to"] = licence.ValidTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                }, actions);

            // 超层 against the band of the block (采区) holding the fix: within when within the band of a block it is inside
            // (blocks may touch), off when off every such band by more than the tolerance, unknown when a band is unknown.
            var tolerance = options.VerticalToleranceMetres;
            var blocks = result.InsideOf(GeofenceAreaKind.MiningRight, licenceId).ToList();
            var band = blocks.FirstOrDefault(b => b.Band is not null).Band;
            bool? offBand = containment != Containment.Inside || fix.AltitudeMetres is not { } height || blocks.Any(b => b.Band is null) ? null
                : blocks.Any(b => height >= b.Band!.Value.LowerMetres && height <= b.Band.Value.UpperMetres) ? false
                : blocks.All(b => height < b.Band!.Value.LowerMetres - tolerance || height > b.Band.Value.UpperMetres + tolerance) ? true
                : null;
            if (offBand == true && fix.AltitudeMetres is { } z)
            {
                band = blocks.OrderBy(b => Math.Min(Math.Abs(z - b.Band!.Value.LowerMetres), Math.Abs(z - b.Band.Value.UpperMetres))).First().Band;
            }

            Track(state.OutOfElevation, offBand, fix, device, AlarmKinds.OutOfElevation.Code, AlarmKinds.OutOfElevation.DefaultSeverity.Code(), AlarmKinds.OutOfElevation.ObjectKind, licenceId,
                string.Create(CultureInfo.InvariantCulture,
                    $"超层开采：设备 {Label(device)} 高程 {fix.AltitudeMetres:0.#} 米，超出采矿许可证 {licence.LicenceNo} 所在采区开采标高 {band?.LowerMetres:0.##}–{band?.UpperMetres:0.##} 米"),
                () => new JsonObject { ["licence"] = licence.LicenceNo, ["lower_m"] = band?.LowerMetres, ["upper_m"] = band?.UpperMetres }, actions);
        }

        if (device.Kind != "patrol_phone")
        {
            TrackSites(device, state, fix, result, context, actions);
        }
    }

    private void TrackSites(Device device, DeviceDetectionState state, StoredFix fix, GeofenceResult result, ReferenceContext context, List<RuleAction> actions)
    {
        var here = new Dictionary<string, (string Kind, string ObjectKind, long Id, string Title, JsonObject Detail)>();
        foreach (var hit in result.Hits)
        {
            if (hit.Containment != Containment.Inside)
            {
                continue;
            }

            if (hit.Kind == GeofenceAreaKind.ClosedMine && context.Mines.TryGetValue(hit.AreaId, out var mine))
            {
                here[$"closed_mine:{hit.AreaId}"] = (AlarmKinds.ClosedMineActivity.Code, "closed_mine", hit.AreaId,
                    $"关闭煤矿疑似死灰复燃：{mine} 矿区内设备 {Label(device)} 长时间停留", new JsonObject { ["where"] = "mine area" });
            }
            else if (hit.Kind == GeofenceAreaKind.TailingsPond && context.DisusedPonds.TryGetValue(hit.AreaId, out var pond)
                     && pond.DisusedSince is { } since && since.ToDateTime(TimeOnly.MinValue) <= fix.Time - options.DisusedFor)
            {
                here[$"tailings_pond:{hit.AreaId}"] = (AlarmKinds.TailingsActivity.Code, "tailings_pond", hit.AreaId,
                    $"停用尾矿库疑似擅自恢复生产：{pond.Name} 内设备 {Label(device)} 持续活动",
                    new JsonObject { ["disused_since"] = since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
            }
        }

        if (result.NearestShaft is { } shaft && shaft.DistanceMetres <= options.ShaftRadiusMetres
            && context.ShaftMines.TryGetValue(shaft.ShaftId, out var owner) && context.Mines.TryGetValue(owner.MineId, out var mineName))
        {
            here[$"closed_mine:{owner.MineId}"] = (AlarmKinds.ClosedMineActivity.Code, "closed_mine", owner.MineId,
                $"关闭煤矿疑似死灰复燃：{mineName} 封闭井口 {owner.Code} 附近设备 {Label(device)} 长时间停留",
                new JsonObject { ["shaft"] = owner.Code, ["distance_m"] = Math.Round(shaft.DistanceMetres, 1) });
        }

        foreach (var (key, site) in here)
        {
            if (!state.Sites.TryGetValue(key, out var tracker))
            {
                state.Sites[key] = tracker = new EpisodeTracker();
            }

            var dwell = site.ObjectKind == "tailings_pond" ? options.TailingsDwell : options.ClosedMineDwell;
            TrackDwell(tracker, fix, device, site.Kind, "red", site.ObjectKind, site.Id, site.Title, site.Detail, dwell, actions);
        }

        foreach (var (key, tracker) in state.Sites.Where(s => !here.ContainsKey(s.Key)).ToList())
        {
            var separator = key.IndexOf(':');
            var objectKind = key[..separator];
            var id = long.Parse(key[(separator + 1)..], CultureInfo.InvariantCulture);
            var kind = objectKind == "tailings_pond" ? AlarmKinds.TailingsActivity.Code : AlarmKinds.ClosedMineActivity.Code;
            if (tracker.Feed(fix.Time, false, int.MaxValue, TimeSpan.MaxValue, options.CloseAfter, options.MaxGap) == EpisodeTracker.Step.Ended)
            {
                actions.Add(new RuleAction.End(kind, objectKind, id, device.Id, fix.Time));
            }

            if (!tracker.Open && tracker.Since is null)
            {
                state.Sites.Remove(key);
            }
        }
    }

    private void TrackDwell(EpisodeTracker tracker, StoredFix fix, Device device, string kind, string severity, string objectKind, long id,
        string title, JsonObject detail, TimeSpan dwell, List<RuleAction> actions)
    {
        // Dwell counts time only: a parked vehicle sends few fixes.
        var step = tracker.Feed(fix.Time, true, int.MaxValue, dwell, options.CloseAfter, options.MaxGap);
        Report(tracker, step, fix, device, kind, kind == AlarmKinds.TailingsActivity.Code ? AlarmKinds.TailingsActivity.DefaultSeverity.Code() : severity, objectKind, id, title, () => detail, actions);
    }

    private void Track(EpisodeTracker tracker, bool? holds, StoredFix fix, Device device, string kind, string severity, string objectKind,
        long id, string title, Func<JsonObject> detail, List<RuleAction> actions)
    {
        var step = tracker.Feed(fix.Time, holds, options.OpenAfterFixes, options.OpenAfter, options.CloseAfter, options.MaxGap);
        if (step == EpisodeTracker.Step.Ended)
        {
            actions.Add(new RuleAction.End(kind, objectKind, id, device.Id, fix.Time));
            return;
        }

        Report(tracker, step, fix, device, kind, severity, objectKind, id, title, detail, actions);
    }

    private static void Report(EpisodeTracker tracker, EpisodeTracker.Step step, StoredFix fix, Device device, string kind, string severity,
        string objectKind, long id, string title, Func<JsonObject> detail, List<RuleAction> actions)
    {
        // Evidence: the fix that confirmed the condition, then at most one fix a minute while it lasts.
        if (step == EpisodeTracker.Step.Opened
            || (step == EpisodeTracker.Step.Continued && (tracker.LastEvidence is not { } previous || fix.Time - previous >= TimeSpan.FromMinutes(1))))
        {
            tracker.LastEvidence = fix.Time;
            var evidence = detail();
            evidence["device"] = device.Key;
            evidence["run_started_at"] = tracker.Since?.ToString("O", CultureInfo.InvariantCulture);
            evidence["positions"] = new JsonArray(new JsonObject
            {
                ["time"] = fix.Time.ToString("O", CultureInfo.InvariantCulture),
                ["lon"] = fix.Longitude,
                ["lat"] = fix.Latitude,
                ["altitude_m"] = fix.AltitudeMetres,
                ["accuracy_m"] = fix.AccuracyMetres,
            });
            actions.Add(new RuleAction.Report(new AlarmCondition(kind, severity, objectKind, id, device.Id, title,
                tracker.Since ?? fix.Time, fix.Time, evidence)));
        }
    }

    private static string Label(Device device) => device.Name is { Length: > 0 } name ? $"{name}（{device.Key}）" : device.Key;
}
