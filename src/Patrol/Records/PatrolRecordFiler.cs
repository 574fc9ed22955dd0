namespace GeoMine.Patrol.Records;

/// <summary>Who files a patrol record, as authenticated by the host: a signed-in user, or a patrol phone with its own token.</summary>
/// <param name="Name">What the record keeps as its filer: the user's actor name ("display name (sign-in name)") or "phone KEY".</param>
/// <param name="IsPatrolPhone">The record came from the phone itself, proven by its token: the phone's GPS corroborates it.</param>
public sealed record PatrolRecordFiler(string Name, bool IsPatrolPhone)
{
    /// <summary>A signed-in user with the actor name <paramref name="actor"/>.</summary>
    public static PatrolRecordFiler User(string actor) => new(actor, false);

    /// <summary>The patrol phone <paramref name="deviceKey"/>, its token checked.</summary>
    public static PatrolRecordFiler Phone(string deviceKey) => new($"phone {deviceKey}", true);
}
