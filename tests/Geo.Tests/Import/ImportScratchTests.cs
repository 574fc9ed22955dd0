using GeoMine.Geo.Import;

namespace GeoMine.Geo.Tests.Import;

/// <summary>Import scratch files stay private to their run and do not outlive it.</summary>
public sealed class ImportScratchTests
{
    [Fact]
    public void NewFile_LiesInAFolderOnlyItsOwnerCanEnter()
    {
        var file = ImportScratch.NewFile(".csv");

        var folder = Path.GetDirectoryName(file)!;
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), $"geomine-import-{Environment.ProcessId}-"), folder);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        }
    }

    [Fact]
    public void RemoveLeftovers_RemovesTheFolderOfADeadRun_AndKeepsALiveOnes()
    {
        // A PID above the kernel's pid_max can belong to no process (Linux: /proc/sys/kernel/pid_max).
        var deadPid = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), System.Globalization.CultureInfo.InvariantCulture) + 1;
        var dead = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"geomine-import-{deadPid}-test"));
        File.WriteAllText(Path.Combine(dead.FullName, "left.csv"), "x");
        var alive = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"geomine-import-{Environment.ProcessId}-test"));
        try
        {
            ImportScratch.RemoveLeftovers();

            Assert.False(Directory.Exists(dead.FullName));
            Assert.True(Directory.Exists(alive.FullName));
        }
        finally
        {
            alive.Delete(recursive: true);
        }
    }
}
