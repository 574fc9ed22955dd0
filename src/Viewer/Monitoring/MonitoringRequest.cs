using System.Text.Json;
using GeoMine.Patrol.Monitoring;

namespace GeoMine.Viewer.Monitoring;

/// <summary>
/// <c>POST /api/monitoring</c> body: <c>{"readings": [{pond, point, item, measured_at, value, unit}]}</c>; measured_at
/// ISO-8601 (no offset = China time), value a number (a numeric string is read too). Every reading is read; every
/// unreadable one is reported as <c>[i].field: reason</c> and nothing is returned.
/// </summary>
internal static class MonitoringRequest
{
    public static IReadOnlyList<ReadingInput> Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("readings", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new MonitoringInputException("readings: expected {\"readings\": [...]}");
        }

        var readings = new List<ReadingInput>(list.GetArrayLength());
        var problems = new List<string>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var label = $"[{index++}]";
            string Field(string name) => ReadingInput.FieldOf(label, name);
            try
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new MonitoringInputException($"{label}: expected an object");
                }

                readings.Add(new ReadingInput(label,
                    ReadingText.Required(Field("pond"), Text(item, "pond", label)), ReadingText.Required(Field("point"), Text(item, "point", label)),
                    ReadingText.Required(Field("item"), Text(item, "item", label)),
                    ReadingText.Time(Field("measured_at"), Text(item, "measured_at", label)),
                    Value(item, label), ReadingText.Required(Field("unit"), Text(item, "unit", label))));
            }
            catch (MonitoringInputException e)
            {
                problems.AddRange(e.Problems);
            }
        }

        return problems.Count > 0 ? throw new MonitoringInputException(problems) : readings;
    }

    private static string? Text(JsonElement item, string name, string label) =>
        item.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Null => null,
            _ => throw new MonitoringInputException($"{ReadingInput.FieldOf(label, name)}: expected text, got {v.GetRawText()}"),
        } : null;

    private static double Value(JsonElement item, string label)
    {
        var field = ReadingInput.FieldOf(label, "value");
        if (!item.TryGetProperty("value", out var v) || v.ValueKind == JsonValueKind.Null)
        {
            throw new MonitoringInputException($"{field}: missing");
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetDouble(out var d) && double.IsFinite(d) => d,
            JsonValueKind.String => ReadingText.Number(field, v.GetString()),
            _ => throw new MonitoringInputException($"{field}: {v.GetRawText()} is not a number"),
        };
    }
}
