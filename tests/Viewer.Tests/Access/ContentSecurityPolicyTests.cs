using GeoMine.Viewer.Hosting;

namespace GeoMine.Viewer.Tests.Access;

/// <summary>The page's images come from itself and from the configured base map's origin only — whatever its scheme, with a
/// placeholder host label (Tianditu's t0–t7 servers) as a wildcard — and never from an arbitrary https site.</summary>
public sealed class ContentSecurityPolicyTests
{
    [Theory]
    [InlineData(null, "img-src 'self' data: blob:;")]
    [InlineData("https://t{0-7}.tianditu.gov.cn/vec_w/wmts?tk={key}", "img-src 'self' data: blob: https://*.tianditu.gov.cn;")]
    [InlineData("http://10.12.0.5:8080/tiles/{z}/{x}/{y}.png", "img-src 'self' data: blob: http://10.12.0.5:8080;")]
    [InlineData("HTTPS://tiles.example.cn/{z}/{x}/{y}.png", "img-src 'self' data: blob: https://tiles.example.cn;")]
    [InlineData("ftp://tiles.example.cn/{z}/{x}/{y}.png", "img-src 'self' data: blob:;")]
    [InlineData("https://a.example.cn;script-src *", "img-src 'self' data: blob:;")]
    public void ImagesComeFromThePageAndTheBaseMapsOrigin(string? baseMapUrl, string imageSources)
    {
        var policy = RequestGuard.ContentSecurityPolicy(baseMapUrl);
        Assert.Contains(imageSources, policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain(" https:;", policy, StringComparison.Ordinal);
    }
}
