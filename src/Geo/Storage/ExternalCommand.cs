using System.Diagnostics;
using System.Text;

namespace GeoMine.Geo.Storage;

/// <summary>Runs an external program (PostgreSQL binaries, GDAL tools) and captures its output.</summary>
public static class ExternalCommand
{
    /// <summary>The result of a finished command.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>True when the exit code is 0.</summary>
        public bool Succeeded => ExitCode == 0;
    }

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> (no shell) and waits.</summary>
    public static async Task<Result> RunAsync(
        string program, IEnumerable<string> arguments, CancellationToken cancellationToken = default,
        IDictionary<string, string>? environment = null, Stream? standardOutputTarget = null)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                startInfo.Environment[key] = value;
            }
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"could not start {program}");
        var stderrTask = process.StandardError.ReadToEndAsync(cancellationToken);
        string stdout;
        if (standardOutputTarget is null)
        {
            stdout = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        }
        else
        {
            await process.StandardOutput.BaseStream.CopyToAsync(standardOutputTarget, cancellationToken);
            stdout = string.Empty;
        }

        var stderr = await stderrTask;
        await process.WaitForExitAsync(cancellationToken);
        return new Result(process.ExitCode, stdout, stderr);
    }

    /// <summary>Runs and throws <see cref="InvalidOperationException"/> with the tool's stderr on failure.</summary>
    public static async Task<string> RunCheckedAsync(
        string program, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var args = arguments.ToList();
        var result = await RunAsync(program, args, cancellationToken);
        if (!result.Succeeded)
        {
            var message = new StringBuilder()
                .Append(Path.GetFileName(program)).Append(" failed (exit ").Append(result.ExitCode).Append("): ")
                .Append(string.IsNullOrWhiteSpace(result.StandardError) ? result.StandardOutput.Trim() : result.StandardError.Trim());
            throw new InvalidOperationException(message.ToString());
        }

        return result.StandardOutput;
    }
}
