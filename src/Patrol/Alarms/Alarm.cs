using System.Text.Json.Nodes;

namespace GeoMine.Patrol.Alarms;

/// <summary>An alarm row. Times are UTC.</summary>
public sealed record Alarm(
    long Id,
    string Kind,
    string Severity,
    string State,
    string ObjectKind,
    long ObjectId,
    long? DeviceId,
    long? TownId,
    string Title,
    DateTime StartedAt,
    DateTime LastSeenAt,
    DateTime? EndedAt,
    string? Assignee,
    DateTime? Deadline,
    string? Outcome,
    string? Feedback,
    int Version,
    JsonObject Evidence);
