using GeoMine.Geo.Import;

namespace GeoMine.Patrol.Monitoring;

/// <summary>
/// Reads readings from CSV with a header line (RFC 4180, UTF-8): columns <c>pond, point, item, measured_at, value,
/// unit</c> in any order (also 尾矿库编码, 监测点, 监测项目, 监测时间, 监测值, 单位), extra columns ignored.
/// <c>measured_at</c> is ISO-8601, no offset = China time. Every line is read; every unreadable one is reported
/// as <c>line N: field: reason</c> (the header is line 1) and nothing is returned.
/// </summary>
public static class ReadingCsv
{
    private static readonly (string Field, string[] Names)[] Columns =
    [
        ("pond", ["pond", "pond_code", "尾矿库编码"]),
        ("point", ["point", "point_code", "监测点", "监测点编号"]),
        ("item", ["item", "监测项目"]),
        ("measured_at", ["measured_at", "time", "监测时间", "时间"]),
        ("value", ["value", "监测值", "值"]),
        ("unit", ["unit", "单位"]),
    ];

    /// <summary>The readings of <paramref name="reader"/>.</summary>
    /// <exception cref="MonitoringInputException">A missing column or unreadable lines, each named.</exception>
    public static IReadOnlyList<ReadingInput> Read(TextReader reader)
    {
        using var records = CsvRecords.Read(reader).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new MonitoringInputException("line 1: the header is missing (pond, point, item, measured_at, value, unit)");
        }

        var header = records.Current.Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToArray();
        var at = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (field, names) in Columns)
        {
            var index = Array.FindIndex(header, h => names.Contains(h));
            if (index < 0)
            {
                throw new MonitoringInputException($"line 1: column {field} is missing (header: {string.Join(",", records.Current)})");
            }

            at[field] = index;
        }

        var readings = new List<ReadingInput>();
        var problems = new List<string>();
        var line = 1;
        while (records.MoveNext())
        {
            line++;
            var cells = records.Current;
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            var label = $"line {line}";
            string? Cell(string field) => at[field] < cells.Length ? cells[at[field]] : null;
            string Field(string field) => ReadingInput.FieldOf(label, field);
            try
            {
                readings.Add(new ReadingInput(label,
                    ReadingText.Required(Field("pond"), Cell("pond")), ReadingText.Required(Field("point"), Cell("point")),
                    ReadingText.Required(Field("item"), Cell("item")), ReadingText.Time(Field("measured_at"), Cell("measured_at")),
                    ReadingText.Number(Field("value"), Cell("value")), ReadingText.Required(Field("unit"), Cell("unit"))));
            }
            catch (MonitoringInputException e)
            {
                problems.AddRange(e.Problems);
            }
        }

        return problems.Count > 0 ? throw new MonitoringInputException(problems) : readings;
    }
}
