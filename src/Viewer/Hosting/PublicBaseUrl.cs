namespace GeoMine.Viewer.Hosting;

/// <summary>
/// Where clients reach GeoMine (<c>GeoMine:PublicBaseUrl</c>, e.g. <c>https://geomine.example.gov.cn</c> behind a reverse
/// proxy; else the address the app listens on). Every absolute link the API writes (OGC API, TileJSON) starts with it,
/// never with the request's <c>Host</c> header, which any client can set.
/// </summary>
public sealed class PublicBaseUrl
{
    public PublicBaseUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query))
        {
            throw new ArgumentException($"GeoMine:PublicBaseUrl: '{url}' is not an absolute http(s) URL without query");
        }

        Root = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>The base without a trailing slash, e.g. <c>https://geomine.example.gov.cn/gis</c>.</summary>
    public string Root { get; }

    /// <summary>The base of <paramref name="request"/>'s application.</summary>
    public static string Of(HttpRequest request) => request.HttpContext.RequestServices.GetRequiredService<PublicBaseUrl>().Root;
}
