namespace GeoMine.Viewer.Access;

/// <summary>
/// The answer to a request that did not say who sends it: 401 with <c>WWW-Authenticate</c> (RFC 9110 §11.6.1 requires it),
/// naming basic auth, which every GIS client and script can send (user name + API token; devices send their own tokens).
/// </summary>
internal sealed class Challenge(string detail, string title) : IResult
{
    /// <summary>The <c>WWW-Authenticate</c> value of every 401 GeoMine answers.</summary>
    public const string Header = "Basic realm=\"GeoMine\", charset=\"UTF-8\"";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.WWWAuthenticate = Header;
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: title).ExecuteAsync(httpContext);
    }
}
