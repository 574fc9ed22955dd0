using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace GeoMine.Viewer.Access;

/// <summary>
/// Authenticates GIS clients and scripts by a per-user API token: <c>Authorization: Bearer gm_…</c>,
/// <c>X-Api-Token: gm_…</c>, or HTTP basic auth with the token as password (the user name is checked too),
/// which is what QGIS and GDAL (<c>GDAL_HTTP_USERPWD</c>) send. A token never opens a cookie session and is
/// exempt from anti-forgery (a browser does not send it by itself).
/// </summary>
public sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, UserDirectory directory)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    /// <summary>Whether a request carries credentials this handler reads (then the token scheme, not the cookie, decides).</summary>
    public static bool Carries(HttpRequest request) =>
        request.Headers.ContainsKey("X-Api-Token") || request.Headers.Authorization.Count > 0;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = null, basicUser = null;
        if (Request.Headers.TryGetValue("X-Api-Token", out var header))
        {
            token = header.ToString().Trim();
        }
        else if (AuthenticationHeaderValue.TryParse(Request.Headers.Authorization.ToString(), out var authorization))
        {
            if (authorization.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                token = authorization.Parameter?.Trim();
            }
            else if (authorization.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && authorization.Parameter is { } encoded)
            {
                string decoded;
                try
                {
                    decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                }
                catch (FormatException)
                {
                    return AuthenticateResult.Fail("basic auth: not base64");
                }

                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                (basicUser, token) = colon < 0 ? (decoded, "") : (decoded[..colon], decoded[(colon + 1)..]);
            }
        }

        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        var user = await directory.ByTokenAsync(token, Context.RequestAborted);
        if (user is null || (basicUser is not null && basicUser != user.Name))
        {
            return AuthenticateResult.Fail("unknown, revoked or mismatched API token");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(UserDirectory.Principal(user, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Challenge.Header;
        return Task.CompletedTask;
    }
}
