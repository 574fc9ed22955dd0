using System.Reflection;

namespace GeoMine.Viewer.Access;

/// <summary>
/// The signed-in caller of a request as a handler parameter: who (for audit rows) and which towns (for every read and
/// change). Bound once per request from the authenticated principal (<see cref="BindAsync"/>), so handlers take it as an
/// argument instead of looking it up themselves; an anonymous request has no user and an empty scope.
/// </summary>
/// <param name="User">The signed-in user; null on anonymous endpoints.</param>
public sealed record Caller(AccessUser? User)
{
    /// <summary>Which towns the caller may see and change (nothing at all when anonymous).</summary>
    public TownScope Scope => User?.Scope ?? TownScope.Of([]);

    /// <summary>Town codes of the scope, null for every town (the shape the Patrol services take).</summary>
    public IReadOnlyCollection<string>? TownCodes => Scope.TownCodes;

    /// <summary>What audit rows record: the signed-in user, never a name taken from the request.</summary>
    public string Actor => User?.Actor ?? throw new InvalidOperationException("this action needs a signed-in user");

    /// <summary>Minimal APIs call this to bind a <see cref="Caller"/> parameter.</summary>
    public static async ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        new(await AccessSetup.CurrentAsync(context));
}
