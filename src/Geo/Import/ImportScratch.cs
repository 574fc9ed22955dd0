using System.Diagnostics;
using System.Globalization;

namespace GeoMine.Geo.Import;

/// <summary>
/// The private scratch folder of this process's imports (GDAL's intermediate CSV copies of the officials' files): created
/// mode 0700 under the system temp folder as <c>geomine-import-PID-random</c>, removed when the process exits, and — for a
/// run that was killed — removed by the next run that needs one, once no process with that PID is alive.
/// </summary>
public static class ImportScratch
{
    private const string Prefix = "geomine-import-";
    private static readonly Lazy<string> Folder = new(Create);

    /// <summary>A new file name inside the scratch folder (the file is not created).</summary>
    public static string NewFile(string extension) => Path.Combine(Folder.Value, $"{Guid.NewGuid():N}{extension}");

    private static string Create()
    {
        RemoveLeftovers();
        var folder = Directory.CreateTempSubdirectory($"{Prefix}{Environment.ProcessId}-"); // 0700 on Unix
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder.FullName);
        return folder.FullName;
    }

    /// <summary>Removes the scratch folders of runs that are no longer alive (a killed import leaves its folder behind).</summary>
    public static void RemoveLeftovers()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), $"{Prefix}*"))
        {
            var pid = Path.GetFileName(folder)[Prefix.Length..].Split('-')[0];
            if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && !IsAlive(id))
            {
                TryDelete(folder);
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // another user's folder, or already gone: not ours to insist on
        }
    }
}
