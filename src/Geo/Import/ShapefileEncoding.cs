using System.Text;

namespace GeoMine.Geo.Import;

/// <summary>
/// Decides the text encoding of a shapefile's attributes. Order: the <c>.cpg</c> file, an explicit
/// choice, the DBF language driver id, else a look at the bytes: valid UTF-8 → UTF-8, otherwise GBK
/// (CP936). Offices commonly send GBK DBFs with neither a .cpg nor a language driver id, which GDAL
/// would otherwise read as Latin-1 and turn every Chinese name into mojibake.
/// </summary>
public static class ShapefileEncoding
{
    /// <summary>GDAL/iconv name for GBK.</summary>
    public const string Gbk = "CP936";

    /// <summary>GDAL/iconv name for UTF-8.</summary>
    public const string Utf8 = "UTF-8";

    /// <summary>The encoding decided and how it was decided (for the import summary).</summary>
    public sealed record Decision(string Encoding, string Reason);

    /// <summary>Decides the encoding of the shapefile whose <c>.shp</c> path is <paramref name="shpPath"/>.</summary>
    public static Decision Decide(string shpPath, string? explicitEncoding)
    {
        var cpg = Path.ChangeExtension(shpPath, ".cpg");
        if (File.Exists(cpg))
        {
            var declared = File.ReadAllText(cpg).Trim();
            return new Decision(Normalise(declared), $".cpg says {declared}");
        }

        if (!string.IsNullOrWhiteSpace(explicitEncoding))
        {
            return new Decision(Normalise(explicitEncoding), "--encoding");
        }

        var dbf = Path.ChangeExtension(shpPath, ".dbf");
        if (!File.Exists(dbf))
        {
            return new Decision(Utf8, "no .dbf");
        }

        var bytes = File.ReadAllBytes(dbf);
        if (bytes.Length > 29)
        {
            switch (bytes[29])
            {
                case 0x4D:
                    return new Decision(Gbk, "DBF language driver id 0x4D (936)");
                case 0x7A:
                    return new Decision(Gbk, "DBF language driver id 0x7A (936)");
            }
        }

        var headerLength = bytes.Length >= 12 ? BitConverter.ToUInt16(bytes, 8) : 0;
        var body = bytes.AsSpan(Math.Min(headerLength, bytes.Length));
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        try
        {
            utf8.GetString(body);
            return new Decision(Utf8, "no .cpg; attribute bytes are valid UTF-8");
        }
        catch (DecoderFallbackException)
        {
            return new Decision(Gbk, "no .cpg; attribute bytes are not UTF-8, read as GBK");
        }
    }

    private static string Normalise(string name) => name.Trim().ToUpperInvariant() switch
    {
        "936" or "GBK" or "CP936" or "GB2312" or "ANSI 936" => Gbk,
        "65001" or "UTF8" or "UTF-8" => Utf8,
        var other => other,
    };
}
