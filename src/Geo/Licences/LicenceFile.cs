namespace GeoMine.Geo.Licences;

/// <summary>Reads a licence text file: UTF-8 (with or without BOM), else GB18030 (GBK), as bureau PCs write it.</summary>
public static class LicenceFile
{
    /// <summary>The text of <paramref name="path"/>.</summary>
    public static async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken = default) =>
        (await Import.TextFile.ReadAsync(path, cancellationToken)).Text;
}
