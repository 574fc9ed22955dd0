using GeoMine.Geo;
using GeoMine.Viewer.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GeoMine.Viewer.Access;

/// <summary>
/// The browser session: <c>POST /api/session</c> <c>{"name","password"}</c> signs in, <c>GET /api/session</c> says who is
/// signed in (and refreshes the <c>XSRF-TOKEN</c> cookie), <c>DELETE /api/session</c> signs out,
/// <c>POST /api/session/password</c> <c>{"current_password","new_password"}</c> changes the password.
/// </summary>
internal static class SessionApi
{
    public const string Path = "/api/session";

    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder routes)
    {
        var session = routes.MapGroup(Path).WithTags(ApiTags.Session);
        session.MapGet("", Results<Ok<SessionView>, UnauthorizedHttpResult> (Caller caller, HttpContext context) =>
        {
            if (caller.User is not { } user)
            {
                return TypedResults.Unauthorized();
            }

            AccessSetup.IssueXsrfToken(context);
            return TypedResults.Ok(SessionView.Of(user));
        }).WithName("getSession").WithSummary("Who is signed in; refreshes the XSRF-TOKEN cookie");
        session.MapPost("", SignInAsync).AllowAnonymous().WithName("signIn").WithSummary("Sign in with name and password: session cookie and XSRF-TOKEN")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized);
        session.MapDelete("", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            context.Response.Cookies.Delete(AccessSetup.XsrfCookie);
            return TypedResults.NoContent();
        }).WithName("signOut").WithSummary("Sign out: ends the session cookie");
        session.MapPost("/password", ChangePasswordAsync).WithName("changePassword").WithSummary("Change one's own password (and end a one-time password)")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return routes;
    }

    private static async Task<Results<Ok<SessionView>, ProblemHttpResult>> SignInAsync(SignInRequest body, HttpContext context, UserStore users, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(body.Name) || string.IsNullOrEmpty(body.Password))
        {
            return Bad(string.IsNullOrEmpty(body.Name) ? "name" : "password", "expected JSON {\"name\": …, \"password\": …}");
        }

        var outcome = await users.SignInAsync(body.Name, body.Password, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", ct);
        if (outcome.User is not { } user)
        {
            // One answer for a wrong password, an unknown or disabled account and a paused sign-in: none of them may tell an
            // outsider which accounts exist or that one is being guessed at.
            return TypedResults.Problem(
                "wrong name or password; after repeated failures, sign-in from this address is paused for a while",
                statusCode: StatusCodes.Status401Unauthorized, title: "sign-in failed");
        }

        await StartSessionAsync(context, user);
        return TypedResults.Ok(SessionView.Of(user));
    }

    private static async Task<Results<Ok<SessionView>, UnauthorizedHttpResult, ProblemHttpResult>> ChangePasswordAsync(
        PasswordChangeRequest body, Caller caller, HttpContext context, UserStore users, UserDirectory directory, CancellationToken ct)
    {
        if (caller.User is not { } user)
        {
            return TypedResults.Unauthorized();
        }

        if (string.IsNullOrEmpty(body.CurrentPassword) || string.IsNullOrEmpty(body.NewPassword))
        {
            return Bad(string.IsNullOrEmpty(body.CurrentPassword) ? "current_password" : "new_password",
                "expected JSON {\"current_password\": …, \"new_password\": …}");
        }

        try
        {
            var changed = await users.ChangePasswordAsync(user.Id, body.CurrentPassword, body.NewPassword, ct);
            directory.Forget(user.Id);
            if (context.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme)
            {
                await StartSessionAsync(context, changed);
            }

            return TypedResults.Ok(SessionView.Of(changed));
        }
        catch (AccessInputException e)
        {
            return Bad(e.Field, e.Detail);
        }
    }

    /// <summary>Issues the session cookie and the anti-forgery tokens bound to <paramref name="user"/>.</summary>
    private static async Task StartSessionAsync(HttpContext context, AccessUser user)
    {
        var principal = UserDirectory.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        context.User = principal; // the anti-forgery token is bound to the signed-in user
        AccessSetup.IssueXsrfToken(context);
    }

    private static ProblemHttpResult Bad(string field, string detail) => FieldProblem.Bad("bad request", field, detail);
}

/// <summary><c>POST /api/session</c>: sign-in name and password.</summary>
internal sealed record SignInRequest(string? Name, string? Password);

/// <summary><c>POST /api/session/password</c>: the current password and the new one.</summary>
internal sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);

/// <summary>The signed-in user as the page needs them.</summary>
/// <param name="Role">town_coordinator, county_bureau, tailings_reviewer or administrator.</param>
/// <param name="Towns">A town coordinator's towns (empty for the other roles, who see every town).</param>
/// <param name="MustChangePassword">Signed in with a one-time password: change it before anything else.</param>
internal sealed record SessionView(string Name, string? DisplayName, string Role, IReadOnlyList<SessionTown> Towns, bool MustChangePassword)
{
    public static SessionView Of(AccessUser user) =>
        new(user.Name, user.DisplayName, user.Role, user.Towns.Select(t => new SessionTown(t.Code, t.Name)).ToList(), user.MustChangePassword);
}

/// <summary>A town by jurisdiction code and name.</summary>
internal sealed record SessionTown(string Code, string Name);
