using System.Text.Json;
using GeoMine.Geo;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

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
        routes.MapGet(Path, async (HttpContext context) =>
        {
            var user = await AccessSetup.CurrentAsync(context);
            if (user is null)
            {
                return Results.Unauthorized();
            }

            AccessSetup.IssueXsrfToken(context);
            return Results.Json(Describe(user));
        });
        routes.MapPost(Path, SignInAsync).AllowAnonymous();
        routes.MapDelete(Path, async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            context.Response.Cookies.Delete(AccessSetup.XsrfCookie);
            return Results.NoContent();
        });
        routes.MapPost(Path + "/password", ChangePasswordAsync);
        return routes;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, UserStore users, CancellationToken ct)
    {
        var body = await ReadAsync(context, ct);
        if (body is null || Text(body.Value, "name") is not { } name || Text(body.Value, "password") is not { } password)
        {
            return Bad("name", "expected JSON {\"name\": …, \"password\": …}");
        }

        var outcome = await users.SignInAsync(name, password, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", ct);
        if (outcome.User is not { } user)
        {
            // One answer for a wrong password, an unknown or disabled account and a paused sign-in: none of them may tell an
            // outsider which accounts exist or that one is being guessed at.
            return Results.Problem(
                "wrong name or password; after repeated failures, sign-in from this address is paused for a while",
                statusCode: StatusCodes.Status401Unauthorized, title: "sign-in failed");
        }

        await StartSessionAsync(context, user);
        return Results.Json(Describe(user));
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext context, UserStore users, UserDirectory directory, CancellationToken ct)
    {
        if (await AccessSetup.CurrentAsync(context) is not { } user)
        {
            return Results.Unauthorized();
        }

        var body = await ReadAsync(context, ct);
        if (body is null || Text(body.Value, "current_password") is not { } current || Text(body.Value, "new_password") is not { } replacement)
        {
            return Bad("new_password", "expected JSON {\"current_password\": …, \"new_password\": …}");
        }

        try
        {
            var changed = await users.ChangePasswordAsync(user.Id, current, replacement, ct);
            directory.Forget(user.Id);
            if (context.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme)
            {
                await StartSessionAsync(context, changed);
            }

            return Results.Json(Describe(changed));
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

    private static object Describe(AccessUser user) => new
    {
        name = user.Name,
        display_name = user.DisplayName,
        role = user.Role,
        towns = user.Towns.Select(t => new { code = t.Code, name = t.Name }),
        must_change_password = user.MustChangePassword,
    };

    private static async Task<JsonElement?> ReadAsync(HttpContext context, CancellationToken ct)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: ct);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static IResult Bad(string field, string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "bad request",
            extensions: new Dictionary<string, object?> { ["field"] = field });
}
