using System.Text.Json.Nodes;

namespace GeoMine.Patrol.Alarms;

/// <summary>A confirmed condition that should be (or keep) an alarm: what, about which object, since when, with what evidence.</summary>
/// <param name="Kind">e.g. <c>out_of_boundary</c> (越界), <c>out_of_elevation</c> (超层), <c>closed_mine_activity</c> (死灰复燃).</param>
/// <param name="Severity">blue, yellow, orange or red.</param>
/// <param name="ObjectKind">Table of the object: mining_right, closed_mine, sealed_shaft, tailings_pond…</param>
/// <param name="ObjectId">Its id.</param>
/// <param name="DeviceId">The device whose positions show it, if any.</param>
/// <param name="Title">One line for people, in Chinese with the object's name.</param>
/// <param name="StartedAt">First evidence time (UTC).</param>
/// <param name="LastSeenAt">Latest evidence time (UTC).</param>
/// <param name="Evidence">Positions, areas, distances (metres), altitudes (metres) that support it.</param>
public sealed record AlarmCondition(
    string Kind,
    string Severity,
    string ObjectKind,
    long ObjectId,
    long? DeviceId,
    string Title,
    DateTime StartedAt,
    DateTime LastSeenAt,
    JsonObject Evidence);
