using GeoMine.Patrol.Alarms;

namespace GeoMine.Patrol.Detection;

/// <summary>What the rules ask of the alarm table after a fix: raise or extend a condition, or end its episode.</summary>
public abstract record RuleAction
{
    /// <summary>Raise (new episode) or extend (running episode) <paramref name="Condition"/>.</summary>
    public sealed record Report(AlarmCondition Condition) : RuleAction;

    /// <summary>End the running episode of a condition.</summary>
    public sealed record End(string Kind, string ObjectKind, long ObjectId, long DeviceId, DateTime At) : RuleAction;
}
