using System.Text.Json.Nodes;

namespace GeoMine.Patrol.Alarms;

/// <summary>A running episode raised to a higher severity (see <see cref="AlarmStore.EscalateAsync(IReadOnlyList{Escalation}, Npgsql.NpgsqlConnection, Npgsql.NpgsqlTransaction, CancellationToken)"/>).</summary>
/// <param name="Id">Alarm id.</param>
/// <param name="Severity">The new severity: blue, yellow, orange or red; never lowers one.</param>
/// <param name="Evidence">Merged into the episode's evidence (e.g. the leader it goes to).</param>
/// <param name="Note">The audit row's note.</param>
public sealed record Escalation(long Id, string Severity, JsonObject Evidence, string? Note);
