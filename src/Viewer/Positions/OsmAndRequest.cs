using System.Text.Json;
using GeoMine.Patrol.Positions;

namespace GeoMine.Viewer.Positions;

/// <summary>
/// The requests Traccar Client (and other OsmAnd-protocol senders) make: parameters in the query or
/// a form body (<c>id, timestamp, lat, lon, speed</c> in knots, <c>bearing, altitude, accuracy, batt</c>),
/// or a JSON body <c>{device_id, location{timestamp, coords{latitude, longitude, speed (m/s), heading,
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
        var knots = FixValues.OptionalNumber("speed", get("speed"));
        return new PositionFix(
            id, time, lon, lat,
            FixValues.OptionalNumber("altitude", get("altitude")),
            FixValues.Accuracy("accuracy", FixValues.OptionalNumber("accuracy", get("accuracy"))),
            FixValues.Speed("speed", knots * FixValues.MetresPerSecondPerKnot),
            FixValues.OptionalNumber("bearing", get("bearing") ?? get("heading")),
            FixValues.Battery(FixValues.OptionalNumber("batt", get("batt"))),
            "osmand");
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
