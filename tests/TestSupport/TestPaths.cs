using GeoMine.Viewer.Hosting.Database;
using GeoMine.Geo.Storage;

namespace GeoMine.TestSupport;

/// <summary>Where test inputs live and where tests may write output.</summary>
public static class TestPaths
{
    /// <summary>The checkout's root.</summary>
    public static string Root => GeoMineHome.Root;

    /// <summary><c>data/shapefiles</c>: the shipped demo county.</summary>
    public static string SampleData => Path.Combine(Root, "data", "shapefiles");

    /// <summary>A test project's own <c>Data</c> folder, e.g. <c>tests/Geo.Tests/Data</c>.</summary>
    public static string TestData(string project) => Path.Combine(Root, "tests", project, "Data");

    /// <summary>A fresh folder for files a test writes (kept under test-output/ for inspection).</summary>
    public static string NewOutputDirectory(string name)
    {
        var dir = Path.Combine(Root, "test-output", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
