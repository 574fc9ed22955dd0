using GeoMine.Patrol.Responsibility;

namespace GeoMine.Patrol.Obligations;

/// <summary>One sealed shaft at one evaluation. Times UTC.</summary>
/// <param name="ShaftId">sealed_shaft id.</param>
/// <param name="Code">Shaft code.</param>
/// <param name="Status">Against its interval.</param>
/// <param name="LastVisitAt">Arrival of the latest visit up to the evaluation time, if any.</param>
/// <param name="DueAt">When the next visit is (was) due: last visit (else the responsible person's start) + interval; null when neither is known.</param>
/// <param name="Escalated">Overdue past the escalation point: orange, to the lead leader.</param>
/// <param name="Responsible">一对一责任人 at the evaluation time; null: unassigned.</param>
/// <param name="LeadLeader">包保领导 of the shaft, else of its mine.</param>
public sealed record ShaftPatrolState(
    long ShaftId,
    string Code,
    PatrolStatus Status,
    DateTime? LastVisitAt,
    DateTime? DueAt,
    bool Escalated,
    ContactPerson? Responsible,
    ContactPerson? LeadLeader);
