using System.Diagnostics;
using System.Text;

namespace GeoMine.Viewer.Tests;

/// <summary>Runs the built <c>geomine</c> command line as its own process, as an operator would.</summary>
public static class CliProcess
{
    /// <summary>Exit code and standard output followed by standard error; <paramref name="stdin"/> is written to its input.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string[] args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "geomine"), args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteLineAsync(stdin);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
