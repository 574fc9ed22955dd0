namespace GeoMine.Viewer.Access;

/// <summary>A user as the web app and the API see them on one request: who, which role, which towns.</summary>
/// <param name="Id">app_user.id.</param>
/// <param name="Name">Sign-in name.</param>
/// <param name="DisplayName">Name shown in the page and written into audit rows (falls back to the sign-in name).</param>
/// <param name="Role">One of <see cref="Roles.All"/>.</param>
/// <param name="Towns">The towns a town coordinator is scoped to (empty for other roles, who see every town).</param>
/// <param name="MustChangePassword">Signed in with a one-time password: everything but changing it is refused.</param>
/// <param name="PasswordStamp">Changes whenever the password changes; a session issued before that is ended.</param>
public sealed record AccessUser(
    long Id, string Name, string? DisplayName, string Role, IReadOnlyList<TownRef> Towns, bool MustChangePassword, string PasswordStamp)
{
    /// <summary>What audit rows record as the actor: "display name (sign-in name)".</summary>
    public string Actor => DisplayName is { Length: > 0 } d && d != Name ? $"{d} ({Name})" : Name;

    /// <summary>Which towns this user may see and change.</summary>
    public TownScope Scope => Role == Roles.TownCoordinator ? TownScope.Of(Towns) : TownScope.Everything;
}

/// <summary>A town (jurisdiction of level town) by id, administrative code and name.</summary>
public sealed record TownRef(long Id, string Code, string Name);

/// <summary>The four roles of the product.</summary>
public static class Roles
{
    /// <summary>镇街巡查协调员: sees and changes only their towns.</summary>
    public const string TownCoordinator = "town_coordinator";

    /// <summary>县自然资源 / 应急管理部门: every town, reads and acts on alarms and assignments.</summary>
    public const string CountyBureau = "county_bureau";

    /// <summary>尾矿库审查员: every town; the only role besides administrators that may override a pond's class.</summary>
    public const string TailingsReviewer = "tailings_reviewer";

    /// <summary>管理员: everything, including users.</summary>
    public const string Administrator = "administrator";

    public static readonly string[] All = [TownCoordinator, CountyBureau, TailingsReviewer, Administrator];
}
