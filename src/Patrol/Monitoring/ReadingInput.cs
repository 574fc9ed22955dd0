namespace GeoMine.Patrol.Monitoring;

/// <summary>
/// One reading as a sender gave it, already parsed: the pond and point by code, the item, the measurement time
/// (UTC), the value in <paramref name="Unit"/>. <paramref name="Label"/> says where it came from, for messages:
/// <c>[3]</c> (index in a JSON batch, fields named <c>[3].unit</c>) or <c>line 4</c> (CSV, <c>line 4: unit</c>).
/// </summary>
public sealed record ReadingInput(string Label, string Pond, string Point, string Item, DateTime MeasuredAtUtc, double Value, string Unit)
{
    /// <summary>The name of <paramref name="field"/> of this reading in messages.</summary>
    public string Field(string field) => FieldOf(Label, field);

    /// <summary>The name of <paramref name="field"/> of the reading at <paramref name="label"/>.</summary>
    public static string FieldOf(string label, string field) => label.EndsWith(']') ? $"{label}.{field}" : $"{label}: {field}";
}
