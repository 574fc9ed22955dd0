using System.Net.Sockets;
using Npgsql;

namespace GeoMine.Viewer.Cli;

/// <summary>What the command line says when a command fails on something outside it — the database unreachable, a wrong
/// password, a missing database, a file it may not read — instead of a stack trace (set <c>GEOMINE_DEBUG=1</c> for one).</summary>
internal static class CliFailure
{
    private const string Where = "the database GeoMine was pointed at (--db, GEOMINE_DB, or the managed cluster: ./geomine db start)";

    /// <summary>Runs a parsed command line: a failure outside the command is printed as <see cref="Describe"/> says, exit code 1
    /// (the stack only with <c>GEOMINE_DEBUG=1</c>).</summary>
    public static async Task<int> InvokeAsync(System.CommandLine.ParseResult parse)
    {
        try
        {
            return await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("GEOMINE_DEBUG") is not "1")
        {
            CliOutput.Fail(Describe(e));
            return 1;
        }
    }

    public static string Describe(Exception e) => e switch
    {
        PostgresException { SqlState: "28P01" or "28000" } p => $"database: {p.MessageText}: check the user and password in {Where}",
        PostgresException { SqlState: "3D000" } p => $"database: {p.MessageText}: create it, or check {Where}",
        PostgresException p => $"database refused the command: {p.MessageText} ({p.SqlState})",
        NpgsqlException { InnerException: SocketException or TimeoutException } n => $"database: {n.Message}: is PostgreSQL running, and is {Where} right?",
        NpgsqlException n => $"database: {n.Message}",
        UnauthorizedAccessException or IOException => e.Message,
        OperationCanceledException => "cancelled",
        _ => $"unexpected {e.GetType().Name}: {e.Message} (GEOMINE_DEBUG=1 shows where)",
    };
}
