namespace GeoMine.Patrol.Obligations;

/// <summary>The text codes of <see cref="PatrolStatus"/> used in storage (<c>shaft_patrol_rating.status</c>) and JSON.</summary>
public static class PatrolStatusCode
{
    /// <summary><c>never_visited</c>, <c>ok</c>, <c>due_soon</c> or <c>overdue</c>.</summary>
    public static string Of(PatrolStatus status) => status switch
    {
        PatrolStatus.Ok => "ok",
        PatrolStatus.DueSoon => "due_soon",
        PatrolStatus.Overdue => "overdue",
        _ => "never_visited",
    };

    /// <summary>The status of a code written by <see cref="Of"/>.</summary>
    public static PatrolStatus Parse(string code) => code switch
    {
        "ok" => PatrolStatus.Ok,
        "due_soon" => PatrolStatus.DueSoon,
        "overdue" => PatrolStatus.Overdue,
        "never_visited" => PatrolStatus.NeverVisited,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "not a patrol status code"),
    };
}
