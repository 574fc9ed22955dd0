using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;

namespace GeoMine.Viewer.Access;

/// <summary>
/// Sign-in for the web app and the API. Browsers sign in with name and password (<c>POST /api/session</c>) and get an
/// HttpOnly, SameSite=Strict session cookie; every state-changing call made with that cookie must carry the
/// anti-forgery token (header <c>X-XSRF-TOKEN</c>, value of the readable cookie <c>XSRF-TOKEN</c>). GIS clients and
/// scripts send an API token instead (<see cref="ApiTokenHandler"/>). Everything requires a signed-in user unless it is
/// marked anonymous: the static page files, <c>/health</c>, the device feeds (which have their own device tokens).
/// </summary>
public static class AccessSetup
{
    public const string Scheme = "GeoMine";
    public const string XsrfCookie = "XSRF-TOKEN";
    public const string XsrfHeader = "X-XSRF-TOKEN";

    /// <summary>Policy: administrators only (user management).</summary>
    public const string AdministratorPolicy = "administrator";

    /// <summary>Policy: tailings reviewers and administrators (overriding a pond's class).</summary>
    public const string TailingsReviewPolicy = "tailings-review";

    /// <summary>Policy: every role but town coordinators (county-wide feeds such as online monitoring readings).</summary>
    public const string CountyWidePolicy = "county-wide";

    public static IServiceCollection AddGeoMineAccess(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<UserDirectory>();
        // One key ring for every node, in PostgreSQL: a session signed in on one node is valid on the others.
        services.AddDataProtection().SetApplicationName("GeoMine");
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<Npgsql.NpgsqlDataSource>((o, db) => o.XmlRepository = new PostgresKeyRepository(db));
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "cookie or API token", o =>
                o.ForwardDefaultSelector = context => ApiTokenHandler.Carries(context.Request)
                    ? ApiTokenHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "geomine.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                // An API answers 401/403; the page sends the user to /signin.html itself.
                o.Events.OnRedirectToLogin = c =>
                {
                    // GIS clients (QGIS, GDAL, scripts) learn that basic auth with an API token works (RFC 9110 §11.6.1); a
                    // browser's own requests (Sec-Fetch-*) get no Basic challenge, which would pop its login dialog over the page.
                    if (!c.Request.Headers.ContainsKey("Sec-Fetch-Mode"))
                    {
                        c.Response.Headers.WWWAuthenticate = Challenge.Header;
                    }

                    return Status(c.Response, StatusCodes.Status401Unauthorized);
                };
                o.Events.OnRedirectToAccessDenied = c => Status(c.Response, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<Microsoft.Extensions.Options.IOptions<AccessOptions>>((o, access) => o.ExpireTimeSpan = access.Value.SessionIdle);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdministratorPolicy, p => p.RequireRole(Roles.Administrator))
            .AddPolicy(TailingsReviewPolicy, p => p.RequireRole(Roles.TailingsReviewer, Roles.Administrator))
            .AddPolicy(CountyWidePolicy, p => p.RequireRole(Roles.CountyBureau, Roles.TailingsReviewer, Roles.Administrator));
        services.AddAntiforgery(o =>
        {
            o.HeaderName = XsrfHeader;
            o.Cookie.Name = "geomine.af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
        });
        return services;
    }

    /// <summary>Authentication, the anti-forgery check for cookie sessions, the one-time-password gate, authorization.</summary>
    public static WebApplication UseGeoMineAccess(this WebApplication app)
    {
        // Checking a user or token needs the database: when it is down, say "try again" (503), not "who are you" or 500.
        app.Use(async (context, next) =>
        {
            try
            {
                await next();
            }
            catch (Npgsql.NpgsqlException e) when (GeoMine.Viewer.Positions.PositionsApi.IsUnavailable(e) && !context.Response.HasStarted)
            {
                await new GeoMine.Viewer.Positions.PositionsApi.RetryLater(e.Message).ExecuteAsync(context);
            }
        });
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (context.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme })
            {
                var path = context.Request.Path;
                if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
                    && !(path == SessionApi.Path && HttpMethods.IsPost(context.Request.Method)))
                {
                    try
                    {
                        await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
                    }
                    catch (AntiforgeryValidationException)
                    {
                        await Results.Problem($"missing or wrong anti-forgery token: send header {XsrfHeader} with the value of cookie {XsrfCookie} (GET {SessionApi.Path} sets it)",
                            statusCode: StatusCodes.Status400BadRequest, title: "anti-forgery check failed").ExecuteAsync(context);
                        return;
                    }
                }

            }

            // A one-time password is the administrator's to know: until its owner has changed it, neither a session nor an API
            // token of that user may do anything else (a token issued meanwhile would outlive the one-time password).
            if (context.User.Identity is { IsAuthenticated: true } && !context.Request.Path.StartsWithSegments(SessionApi.Path)
                && await CurrentAsync(context) is { MustChangePassword: true })
            {
                await Results.Problem($"this account still has its one-time password: change it first (POST {SessionApi.Path}/password)",
                    statusCode: StatusCodes.Status403Forbidden, title: "password change required").ExecuteAsync(context);
                return;
            }

            await next();
        });
        app.UseAuthorization();
        return app;
    }

    /// <summary>The signed-in user of the request (null when anonymous).</summary>
    public static async Task<AccessUser?> CurrentAsync(HttpContext context) =>
        context.User.FindFirstValue(UserDirectory.IdClaim) is { } id && long.TryParse(id, out var userId)
            ? await context.RequestServices.GetRequiredService<UserDirectory>().ByIdAsync(userId, context.RequestAborted)
            : null;

    /// <summary>Issues the anti-forgery token pair for <paramref name="context"/>'s (current) user: the HttpOnly cookie token and
    /// the readable <c>XSRF-TOKEN</c> cookie whose value the page echoes in <c>X-XSRF-TOKEN</c>.</summary>
    public static void IssueXsrfToken(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        context.Response.Cookies.Append(XsrfCookie, tokens.RequestToken!, new CookieOptions
        {
            HttpOnly = false, SameSite = SameSiteMode.Strict, Path = "/", Secure = context.Request.IsHttps,
        });
    }

    /// <summary>Re-reads the session's user: a disabled or deleted user, or a changed password, ends the session.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var user = context.Principal?.FindFirstValue(UserDirectory.IdClaim) is { } id && long.TryParse(id, out var userId)
            ? await context.HttpContext.RequestServices.GetRequiredService<UserDirectory>().ByIdAsync(userId, context.HttpContext.RequestAborted)
            : null;
        if (user is null || user.PasswordStamp != context.Principal!.FindFirstValue(UserDirectory.StampClaim))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        context.ReplacePrincipal(UserDirectory.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
