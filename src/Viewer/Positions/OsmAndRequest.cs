using System.Text.Json;
using GeoMine.Patrol.Positions;

namespace GeoMine.Viewer.Positions;

/// <summary>
/// The requests Traccar Client (and other OsmAnd-protocol senders) make: parameters in the query or
/// a form body (<c>id, timestamp, lat, lon, speed</c> in knots, <c>bearing, altitude, accuracy, batt, alarm</c>; <c>charge</c>,
/// <c>mock</c>, <c>motion</c> and other extras are not stored), OsmAnd's own online tracking (its default template
/// <c>lat={0}&amp;lon={1}&amp;timestamp={2}&amp;hdop={3}&amp;altitude={4}&amp;speed={5}</c>: speed in m/s, hdop = accuracy in
/// metres), or a JSON body <c>{device_id, location{timestamp, coords{latitude, longitude, speed (m/s), heading,
/// altitude, accuracy}, battery{level 0–1}}}</c>.
/// </summary>
internal static class OsmAndRequest
{
    public static PositionFix FromParameters(Func<string, string?> get, DateTime nowUtc)
    {
        var id = FixValues.DeviceId("id", get("id") ?? get("deviceid"));

        double lat, lon;
        if (get("location") is { } location && get("lat") is null)
        {
            var parts = location.Split(',');
            if (parts.Length != 2)
            {
                throw new FixParseException($"location: '{location}' is not 'lat,lon'");
            }

            (lat, lon) = (FixValues.Number("location (lat)", parts[0]), FixValues.Number("location (lon)", parts[1]));
        }
        else
        {
            (lat, lon) = (FixValues.Number("lat", get("lat")), FixValues.Number("lon", get("lon")));
        }

        var time = get("timestamp") is { } stamp ? FixValues.Time("timestamp", stamp) : nowUtc;
        // Which app sent it decides the units. OsmAnd's own online tracking fills its URL template from the phone's Location
        // (LiveMonitoringHelper: {3} hdop = getAccuracy() in metres, {5} speed = getSpeed() in m/s, {2} time in ms) and never
        // sends "accuracy"; Traccar Client sends "accuracy" and speed in knots (as Traccar's own decoder reads it). A sender
        // that is neither says so with speed_unit.
        var osmAndApp = get("hdop") is not null && get("accuracy") is null;
        var unit = get("speed_unit") ?? (osmAndApp ? "mps" : "knots");
        var perUnit = unit switch
        {
            "knots" => FixValues.MetresPerSecondPerKnot,
            "mps" => 1.0,
            "kmh" => 1 / 3.6,
            _ => throw new FixParseException($"speed_unit: '{unit}' is not knots, mps or kmh"),
        };
        var accuracy = get("accuracy") is { } metres ? ("accuracy", metres) : osmAndApp ? ("hdop", get("hdop")) : ("accuracy", null);
        return new PositionFix(
            id, time, lon, lat,
            FixValues.OptionalNumber("altitude", get("altitude")),
            FixValues.Accuracy(accuracy.Item1, FixValues.OptionalNumber(accuracy.Item1, accuracy.Item2)),
            FixValues.Speed("speed", FixValues.OptionalNumber("speed", get("speed")) * perUnit),
            FixValues.OptionalNumber("bearing", get("bearing") ?? get("heading")),
            FixValues.Battery(FixValues.OptionalNumber("batt", get("batt"))),
            "osmand");
    }

    /// <summary>The alarm a request carries (Traccar Client: <c>alarm=sos</c>), or null. Only SOS is acted on.</summary>
    public static string? Alarm(Func<string, string?> get) => get("alarm") is { Length: > 0 } alarm ? alarm.Trim().ToLowerInvariant() : null;

    /// <summary>A Traccar JSON body: one object, or an array of them (the background-geolocation SDK's batch), every element read
    /// before anything is stored; a bad element is named by its index.</summary>
    public static IReadOnlyList<PositionFix> FromJsonBody(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            return [FromJson(root)];
        }

        var fixes = new List<PositionFix>(root.GetArrayLength());
        var index = 0;
        foreach (var element in root.EnumerateArray())
        {
            try
            {
                fixes.Add(FromJson(element));
            }
            catch (FixParseException e)
            {
                throw new FixParseException($"[{index}] {e.Message}");
            }

            index++;
        }

        return fixes.Count > 0 ? fixes : throw new FixParseException("body: an empty array has no fix");
    }

    public static PositionFix FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FixParseException("body: expected a JSON object");
        }

        var id = FixValues.DeviceId("device_id", Text(root, "device_id"));
        if (!root.TryGetProperty("location", out var location) || location.ValueKind != JsonValueKind.Object)
        {
            throw new FixParseException("location: missing");
        }

        if (!location.TryGetProperty("coords", out var coords) || coords.ValueKind != JsonValueKind.Object)
        {
            throw new FixParseException("location.coords: missing");
        }

        var time = FixValues.Time("location.timestamp", Text(location, "timestamp"));
        double? battery = location.TryGetProperty("battery", out var b) && b.ValueKind == JsonValueKind.Object
            ? Number(b, "level", "location.battery.level") * 100
            : null;
        return new PositionFix(
            id, time,
            Number(coords, "longitude", "location.coords.longitude") ?? throw new FixParseException("location.coords.longitude: missing"),
            Number(coords, "latitude", "location.coords.latitude") ?? throw new FixParseException("location.coords.latitude: missing"),
            Number(coords, "altitude", "location.coords.altitude"),
            FixValues.Accuracy("location.coords.accuracy", Number(coords, "accuracy", "location.coords.accuracy")),
            Number(coords, "speed", "location.coords.speed") is { } s && s >= 0 ? s : null,
            Number(coords, "heading", "location.coords.heading") is { } h && h >= 0 ? h : null,
            FixValues.Battery(battery),
            "traccar-json");
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw new FixParseException($"{name}: expected text"),
        } : null;

    private static double? Number(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : throw new FixParseException($"{path}: {value.GetRawText()} is not a number");
    }
}
