namespace GeoMine.Viewer.Hosting.Database;

/// <summary>
/// The checkout GeoMine runs from: GEOMINE_HOME when set (the <c>./geomine</c> script sets it),
/// else the nearest folder above the current one, or above the binaries, holding GeoMine.sln.
/// Its git-ignored <c>.geomine</c> folder keeps the managed cluster and other local state.
/// </summary>
public static class GeoMineHome
{
    /// <summary>Root folder of the checkout.</summary>
    public static string Root { get; } = Locate();

    /// <summary>The git-ignored state folder, <c>ROOT/.geomine</c>.</summary>
    public static string StateDirectory => Path.Combine(Root, ".geomine");

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("GEOMINE_HOME");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "GeoMine.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
