using System.Buffers;
using System.Text;
using System.Text.Json;
using GeoMine.Patrol.Positions;

namespace GeoMine.Viewer.Positions;

/// <summary>
/// <c>POST /api/positions</c>: a JSON array of <c>{device_id, time, lon, lat, altitude_m?, accuracy_m?,
/// speed_mps?, bearing_deg?, battery_pct?}</c>, lon/lat in WGS84 degrees (or GCJ-02 for devices
/// marked so), time as ISO-8601 or epoch. Every element is read before anything is stored; the first
/// unreadable one fails the whole request, naming its index and field. Unknown members are ignored.
/// </summary>
/// <remarks>
/// Read in one pass with <see cref="Utf8JsonReader"/> straight from the request's bytes into fixes: no document
/// object model and no per-member lookups. On this machine that path made HTTP batches ~20 % cheaper than
/// <see cref="JsonDocument"/> + property lookups did (see README, ingest benchmark).
/// </remarks>
internal static class BatchRequest
{
    public const int MaxFixes = 50_000;

    /// <summary>Parses a whole request body.</summary>
    /// <exception cref="FixParseException">An element or member is wrong; the message names it.</exception>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    public static IReadOnlyList<PositionFix> Parse(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FixParseException("body: expected a JSON array of positions");
        }

        var fixes = new List<PositionFix>(256);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var index = fixes.Count;
            if (index == MaxFixes)
            {
                throw new FixParseException($"body: more than {MaxFixes} positions, at most {MaxFixes} per request");
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FixParseException($"[{index}]: expected an object");
            }

            fixes.Add(ReadFix(ref reader, index));
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new FixParseException("body: the JSON array is not closed");
        }

        // Anything but white space after the array (e.g. "[]x") makes the body something other than one JSON array.
        var rest = body.Slice(reader.Position);
        foreach (var segment in rest)
        {
            if (segment.Span.IndexOfAnyExcept(" \t\r\n"u8) >= 0)
            {
                throw new FixParseException("body: text after the JSON array");
            }
        }

        return fixes;
    }

    /// <summary>Parses a body given as a string (tests, tools).</summary>
    public static IReadOnlyList<PositionFix> Parse(string json) => Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)));

    private static PositionFix ReadFix(ref Utf8JsonReader reader, int index)
    {
        string? id = null, timeText = null;
        DateTime? time = null;
        Number lon = default, lat = default, altitude = default, accuracy = default, speed = default, bearing = default, battery = default;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var member = MemberOf(ref reader); // on the property name
            reader.Read();                     // now on its value
            switch (member)
            {
                case Member.DeviceId:
                    id = Text(ref reader, index, "device_id");
                    break;
                case Member.Time when reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var iso):
                    time = iso.UtcDateTime;
                    break;
                case Member.Time:
                    timeText = Text(ref reader, index, "time");
                    break;
                case Member.Lon:
                    lon = Read(ref reader);
                    break;
                case Member.Lat:
                    lat = Read(ref reader);
                    break;
                case Member.Altitude:
                    altitude = Read(ref reader);
                    break;
                case Member.Accuracy:
                    accuracy = Read(ref reader);
                    break;
                case Member.Speed:
                    speed = Read(ref reader);
                    break;
                case Member.Bearing:
                    bearing = Read(ref reader);
                    break;
                case Member.Battery:
                    battery = Read(ref reader);
                    break;
                default:
                    reader.Skip(); // an unknown member, whatever its value
                    break;
            }
        }

        // Checked in the order the fields are documented, so the first problem named is always the same one.
        var at = $"[{index}]";
        return new PositionFix(
            FixValues.DeviceId($"{at}.device_id", id),
            time ?? FixValues.Time($"{at}.time", timeText),
            lon.Required(at, "lon"), lat.Required(at, "lat"),
            altitude.Optional(at, "altitude_m"), FixValues.Accuracy($"{at}.accuracy_m", accuracy.Optional(at, "accuracy_m")), FixValues.Speed($"{at}.speed_mps", speed.Optional(at, "speed_mps")),
            bearing.Optional(at, "bearing_deg"), FixValues.Battery(battery.Optional(at, "battery_pct")),
            "batch");
    }

    private static Member MemberOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("device_id"u8) ? Member.DeviceId
        : reader.ValueTextEquals("time"u8) ? Member.Time
        : reader.ValueTextEquals("lon"u8) ? Member.Lon
        : reader.ValueTextEquals("lat"u8) ? Member.Lat
        : reader.ValueTextEquals("altitude_m"u8) ? Member.Altitude
        : reader.ValueTextEquals("accuracy_m"u8) ? Member.Accuracy
        : reader.ValueTextEquals("speed_mps"u8) ? Member.Speed
        : reader.ValueTextEquals("bearing_deg"u8) ? Member.Bearing
        : reader.ValueTextEquals("battery_pct"u8) ? Member.Battery
        : Member.Unknown;

    private static string? Text(ref Utf8JsonReader reader, int index, string name) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw new FixParseException($"[{index}].{name}: expected text"),
    };

    private static Number Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return default;
            case JsonTokenType.Number when reader.TryGetDouble(out var d) && double.IsFinite(d):
                return new Number(true, d, null);
            default:
                // Keep the raw text for the message, as the sender wrote it.
                reader.Skip();
                var raw = reader.TokenType is JsonTokenType.String ? $"\"{reader.GetString()}\"" : RawOf(ref reader);
                return new Number(false, 0, raw);
        }
    }

    private static string RawOf(ref Utf8JsonReader reader) =>
        reader.TokenType switch
        {
            JsonTokenType.EndObject => "{…}",
            JsonTokenType.EndArray => "[…]",
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            _ => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        };

    /// <summary>A numeric member as read: absent or null, a finite number, or something else (its raw text).</summary>
    private readonly record struct Number(bool Present, double Value, string? Bad)
    {
        public double Required(string at, string name) =>
            Optional(at, name) ?? throw new FixParseException($"{at}.{name}: missing");

        public double? Optional(string at, string name) =>
            Bad is not null ? throw new FixParseException($"{at}.{name}: {Bad} is not a number")
            : Present ? Value : null;
    }

    private enum Member
    {
        Unknown,
        DeviceId,
        Time,
        Lon,
        Lat,
        Altitude,
        Accuracy,
        Speed,
        Bearing,
        Battery,
    }
}
