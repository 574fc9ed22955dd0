using System.Text.Json.Nodes;

namespace GeoMine.Patrol.Tailings;

/// <summary>A condition a watch rule found on a pond at a given moment; the rules job keeps one alarm episode per
/// (kind, pond) while it holds.</summary>
/// <param name="Kind">Alarm kind (see <see cref="TailingsRules"/>).</param>
/// <param name="Severity">blue, yellow, orange or red.</param>
/// <param name="Since">When the condition began (UTC).</param>
/// <param name="Title">One line for the reviewer, in Chinese with the pond's name.</param>
/// <param name="Evidence">Dates, elevations (m), readings that support it.</param>
public sealed record TailingsFinding(string Kind, string Severity, DateTime Since, string Title, JsonObject Evidence);
