using System.Text;

namespace GeoMine.Geo.Licences;

/// <summary>Reads a licence text file: UTF-8 (with or without BOM), else GB18030 (GBK), as bureau PCs write it.</summary>
public static class LicenceFile
{
    /// <summary>The text of <paramref name="path"/>.</summary>
    public static async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken = default)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding("GB18030").GetString(bytes);
        }
    }
}
