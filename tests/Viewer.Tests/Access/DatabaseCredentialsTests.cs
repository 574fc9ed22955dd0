using GeoMine.TestSupport;
using Npgsql;

namespace GeoMine.Viewer.Tests.Access;

/// <summary>The database password stays out of the process list: GEOMINE_DB with a pgpass file works, and a password given
/// with --db is warned about.</summary>
public sealed class DatabaseCredentialsTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    [Fact]
    public async Task GeomineDb_WithAPassfileAndNoPassword_Connects()
    {
        var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        int code;
        string output;
        var passfile = Path.GetTempFileName(); // created mode 600; never in the checkout: it holds the server's password
        try
        {
            await File.WriteAllTextAsync(passfile, $"{builder.Host}:{builder.Port}:{builder.Database}:{builder.Username}:{builder.Password}\n");
            var withoutPassword = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Password = null, Passfile = passfile }.ConnectionString;

            (code, output) = await CliProcess.RunAsync(["users", "list", "--format", "json"], environment: new Dictionary<string, string> { ["GEOMINE_DB"] = withoutPassword });
        }
        finally
        {
            File.Delete(passfile);
        }

        Assert.True(code == 0, output);
        Assert.DoesNotContain("warning", output);
    }

    [Fact]
    public async Task DbOptionWithAPassword_IsWarnedAbout()
    {
        var (code, output) = await CliProcess.RunAsync(["users", "list", "--format", "json", "--db", db.ConnectionString]);

        Assert.True(code == 0, output);
        Assert.Contains("--db carries a password", output);
    }

    [Theory]
    [InlineData("password", "password authentication failed")]
    [InlineData("database", "does not exist")]
    [InlineData("port", "is PostgreSQL running")]
    public async Task DatabaseUnreachableOrRefusing_AMessageNamingWhatToCheckNeverAStackTrace(string wrong, string says)
    {
        var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        _ = wrong switch
        {
            "password" => builder.Password = "not-the-password",
            "database" => builder.Database = "geomine_no_such_database",
            _ => (builder.Port = 1).ToString(), // nothing listens on port 1
        };

        var (code, output) = await CliProcess.RunAsync(["users", "list"], environment: new Dictionary<string, string> { ["GEOMINE_DB"] = builder.ConnectionString });

        Assert.Equal(1, code);
        Assert.Contains(says, output);
        Assert.Contains("GEOMINE_DB", output);
        Assert.DoesNotContain("   at ", output); // no stack frame
    }
}
