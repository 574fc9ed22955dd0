using System.Text;

namespace GeoMine.Geo.Import;

/// <summary>
/// Reads a text file as offices write them: UTF-8 (with or without BOM), else GB18030 (a superset of GBK, Excel's and
/// Notepad's default on Chinese Windows). Which one was used is returned, so that the caller can say so: a guessed
/// encoding is reported, never silent.
/// </summary>
public static class TextFile
{
    /// <summary>The text of <paramref name="path"/> and the encoding it was read in (<c>UTF-8</c> or <c>GB18030</c>).</summary>
    public static async Task<(string Text, string Encoding)> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF'), "UTF-8");
        }
        catch (DecoderFallbackException)
        {
            System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return (System.Text.Encoding.GetEncoding("GB18030").GetString(bytes), "GB18030");
        }
    }
}
