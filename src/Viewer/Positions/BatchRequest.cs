using System.Text.Json;
using GeoMine.Patrol.Positions;

namespace GeoMine.Viewer.Positions;

/// <summary>
/// <c>POST /api/positions</c>: a JSON array of <c>{device_id, time, lon, lat, altitude_m?, accuracy_m?,
/// speed_mps?, bearing_deg?, battery_pct?}</c>, lon/lat in WGS84 degrees (or GCJ-02 for devices
/// marked so), time as ISO-8601 or epoch. Every element is read before anything is stored; the first
/// unreadable one fails the whole request, naming its index and field.
/// </summary>
internal static class BatchRequest
{
    public const int MaxFixes = 50_000;

    public static IReadOnlyList<PositionFix> Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new FixParseException("body: expected a JSON array of positions");
        }

        if (root.GetArrayLength() > MaxFixes)
        {
            throw new FixParseException($"body: {root.GetArrayLength()} positions, at most {MaxFixes} per request");
        }

        var fixes = new List<PositionFix>(root.GetArrayLength());
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var at = $"[{index}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new FixParseException($"{at}: expected an object");
            }

            var id = Text(item, "device_id", at);
            if (string.IsNullOrWhiteSpace(id))
            {
                throw new FixParseException($"{at}.device_id: missing");
            }

            fixes.Add(new PositionFix(
                id,
                Time(item, at),
                Required(item, "lon", at), Required(item, "lat", at),
                Optional(item, "altitude_m", at), Optional(item, "accuracy_m", at), Optional(item, "speed_mps", at),
                Optional(item, "bearing_deg", at), Optional(item, "battery_pct", at),
                "batch"));
            index++;
        }

        return fixes;
    }

    /// <summary>ISO-8601 through the JSON reader's own parser (the common case, fast), else epoch or other forms.</summary>
    private static DateTime Time(JsonElement item, string at) =>
        item.TryGetProperty("time", out var v) && v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out var iso)
            ? iso.UtcDateTime
            : FixValues.Time($"{at}.time", Text(item, "time", at));

    private static string? Text(JsonElement item, string name, string at) =>
        item.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw new FixParseException($"{at}.{name}: expected text"),
        } : null;

    private static double Required(JsonElement item, string name, string at) =>
        Optional(item, name, at) ?? throw new FixParseException($"{at}.{name}: missing");

    private static double? Optional(JsonElement item, string name, string at)
    {
        if (!item.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : throw new FixParseException($"{at}.{name}: {v.GetRawText()} is not a number");
    }
}
