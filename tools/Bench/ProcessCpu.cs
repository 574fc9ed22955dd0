using System.Globalization;
using Npgsql;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// CPU seconds (user + system) used so far by this process and by the benchmark's PostgreSQL server (the postmaster and
/// its children: backends, WAL writer, checkpointer, autovacuum), read from Linux's <c>/proc</c>. Only for a server on
/// this machine; a child that exits between two readings takes its CPU with it, so the server figure is a lower bound.
/// </summary>
internal sealed class ProcessCpu
{
    /// <summary>The kernel reports times in USER_HZ ticks, 100 per second on every Linux architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    private readonly int _postmaster;

    private ProcessCpu(int postmaster) => _postmaster = postmaster;

    /// <summary>CPU used since some fixed instant, in seconds: the server's per process, and this process's.</summary>
    internal readonly record struct Reading(IReadOnlyDictionary<int, double> ServerByPid, double Self)
    {
        /// <summary>The server's processes together.</summary>
        public double Server => ServerByPid.Values.Sum();

        /// <summary>What was used between <paramref name="b"/> and <paramref name="a"/>, process by process: a process that
        /// started in between counts whole, one that exited in between took its CPU with it (it cannot make the figure
        /// smaller, as a plain difference of sums did when another client's busy backend ended).</summary>
        public static Reading operator -(Reading a, Reading b) => new(
            a.ServerByPid.ToDictionary(p => p.Key, p => p.Value - b.ServerByPid.GetValueOrDefault(p.Key)), a.Self - b.Self);
    }

    /// <summary>The clock for the server behind <paramref name="connectionString"/>, or null when it does not run on
    /// this machine (its backend's process is not in <c>/proc</c>).</summary>
    public static async Task<ProcessCpu?> ForServerAsync(string connectionString, CancellationToken ct)
    {
        var backend = (int)await BenchDatabase.ScalarAsync(connectionString, "SELECT pg_backend_pid()", ct);
        var stat = Stat(backend);
        var host = new NpgsqlConnectionStringBuilder(connectionString).Host;
        var local = host is null || host.StartsWith('/') || host is "localhost" or "127.0.0.1" or "::1";
        return stat is not null && local ? new ProcessCpu(int.Parse(stat[1], CultureInfo.InvariantCulture)) : null;
    }

    public Reading Now()
    {
        var server = new Dictionary<int, double>();
        double self = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || Stat(pid) is not { } fields)
            {
                continue;
            }

            var seconds = (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
            if (pid == _postmaster || int.Parse(fields[1], CultureInfo.InvariantCulture) == _postmaster)
            {
                server[pid] = seconds;
            }
            else if (pid == Environment.ProcessId)
            {
                self += seconds;
            }
        }

        return new Reading(server, self);
    }

    /// <summary>The fields of <c>/proc/PID/stat</c> after the command name: [0] state, [1] parent pid, [11] utime,
    /// [12] stime; null when the process is gone.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
