using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace GeoMine.Viewer.Access;

/// <summary>
/// Resolves the user of a request (by session user id or by API token) from the database, reused for
/// <see cref="AccessOptions.UserCacheTime"/> so map tiles do not cost a user lookup each. A disabled user, a
/// revoked token or changed towns take effect within that time.
/// </summary>
public sealed class UserDirectory(UserStore users, IMemoryCache cache, IOptions<AccessOptions> options)
{
    /// <summary>Claim holding app_user.id.</summary>
    public const string IdClaim = "geomine:uid";

    /// <summary>Claim holding <see cref="AccessUser.PasswordStamp"/> in a session cookie.</summary>
    public const string StampClaim = "geomine:pwd";

    public Task<AccessUser?> ByIdAsync(long id, CancellationToken ct) =>
        cache.GetOrCreateAsync(("user", id), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = options.Value.UserCacheTime;
            return users.FindByIdAsync(id, ct);
        });

    public Task<AccessUser?> ByTokenAsync(string token, CancellationToken ct) =>
        cache.GetOrCreateAsync(("token", token), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = options.Value.UserCacheTime;
            return users.FindByTokenAsync(token, ct);
        });

    /// <summary>Forgets a user at once (after a change made by this process, e.g. a password change).</summary>
    public void Forget(long id) => cache.Remove(("user", id));

    /// <summary>The claims of <paramref name="user"/> for a principal authenticated by <paramref name="scheme"/>.</summary>
    public static ClaimsPrincipal Principal(AccessUser user, string scheme) =>
        new(new ClaimsIdentity(
            [
                new Claim(IdClaim, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, user.Name),
                new Claim(ClaimTypes.Role, user.Role),
                new Claim(StampClaim, user.PasswordStamp),
            ],
            scheme, ClaimTypes.Name, ClaimTypes.Role));
}
