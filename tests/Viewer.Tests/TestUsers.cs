using GeoMine.TestSupport;
using GeoMine.Viewer.Access;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Viewer.Tests;

/// <summary>Users and API tokens in a test database, made through the same <see cref="UserStore"/> the CLI uses.</summary>
public static class TestUsers
{
    /// <summary>The administrator every <see cref="GeoMineApplication"/> client signs requests as by default.</summary>
    public const string Admin = "test-admin";

    /// <summary>A fresh API token for user <paramref name="name"/>, creating the user (with <paramref name="password"/> or a
    /// generated one) when missing.</summary>
    public static async Task<string> TokenAsync(PostgisFixture db, string name, string role, string[]? towns = null, string? password = null)
    {
        await EnsureAsync(db, name, role, password ?? UserStore.NewPassword(), null, towns ?? []);
        await using var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString);
        return (await Store(source).IssueTokenAsync(name, "test", "test", CancellationToken.None))!.Value.Token;
    }

    /// <summary>Creates user <paramref name="name"/> with password <paramref name="password"/> (no one-time password).</summary>
    public static async Task AddAsync(PostgisFixture db, string name, string role, string password, params string[] towns)
    {
        await using var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString);
        await Store(source).AddAsync(name, role, towns, null, password, "test", CancellationToken.None);
    }

    /// <summary>Creates user <paramref name="name"/> unless it exists (classes whose tests all sign in as the same user).</summary>
    public static async Task EnsureAsync(PostgisFixture db, string name, string role, string password, string? displayName = null, string[]? towns = null)
    {
        await using var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString);
        var users = Store(source);
        if ((await users.ListAsync(CancellationToken.None)).All(u => u.User.Name != name))
        {
            await users.AddAsync(name, role, towns ?? [], displayName, password, "test", CancellationToken.None);
        }
    }

    public static UserStore Store(NpgsqlDataSource source) => new(source, Options.Create(new AccessOptions()), TimeProvider.System);
}
