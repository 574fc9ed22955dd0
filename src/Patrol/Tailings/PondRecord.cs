namespace GeoMine.Patrol.Tailings;

/// <summary>One pond as the reviewer sees it at a moment: registry data, computed class and 头顶库, persons, what the
/// rules find, and the alarms still open.</summary>
/// <param name="Facts">What the rules read.</param>
/// <param name="Operator">Operating enterprise; null for 无主库.</param>
/// <param name="Storage10kM3">Total storage (万m³).</param>
/// <param name="DamHeightM">Dam height (m).</param>
/// <param name="Class">Computed class (等别), with any override.</param>
/// <param name="ConstructionMethod">upstream, downstream, centerline or other.</param>
/// <param name="ClosedOn">闭库 day.</param>
/// <param name="DeregisteredOn">销号 day.</param>
/// <param name="PlanRef">一库一策 document reference.</param>
/// <param name="Persons">The three responsible persons in office now (government_leader, regulator, enterprise_principal).</param>
/// <param name="Findings">What the watch rules find now.</param>
/// <param name="OpenAlarms">Alarms about the pond not yet closed in the loop.</param>
public sealed record PondRecord(
    PondFacts Facts,
    string? Operator,
    double? Storage10kM3,
    double? DamHeightM,
    PondClass Class,
    string? ConstructionMethod,
    DateOnly? ClosedOn,
    DateOnly? DeregisteredOn,
    string? PlanRef,
    IReadOnlyList<PondPerson> Persons,
    IReadOnlyList<TailingsFinding> Findings,
    IReadOnlyList<OpenAlarm> OpenAlarms);

/// <summary>A responsible person of a pond.</summary>
/// <param name="Role">government_leader (包保责任人), regulator (监管责任人) or enterprise_principal (企业主要负责人).</param>
/// <param name="Name">Name.</param>
/// <param name="Phone">Mobile phone.</param>
public sealed record PondPerson(string Role, string Name, string? Phone);

/// <summary>An alarm of the pond still in the loop.</summary>
/// <param name="Id">Alarm id.</param>
/// <param name="Kind">Alarm kind.</param>
/// <param name="Severity">blue, yellow, orange, red.</param>
/// <param name="State">raised, acknowledged or verifying.</param>
/// <param name="Title">Title.</param>
/// <param name="StartedAt">First evidence (UTC).</param>
public sealed record OpenAlarm(long Id, string Kind, string Severity, string State, string Title, DateTime StartedAt);

/// <summary>What a run of the rules job did.</summary>
/// <param name="Ponds">Ponds evaluated.</param>
/// <param name="Findings">Findings that hold now.</param>
/// <param name="Raised">New alarm episodes.</param>
/// <param name="Escalated">Episodes whose severity rose.</param>
/// <param name="Ended">Episodes ended because their condition no longer holds.</param>
public sealed record TailingsRulesResult(int Ponds, IReadOnlyList<(string Code, TailingsFinding Finding)> Findings, int Raised, int Escalated, int Ended);
