using GeoMine.TestSupport;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Cli;
using Npgsql;

namespace GeoMine.Viewer.Tests.Access;

/// <summary><c>geomine up</c> on a database without an administrator creates one, with a one-time password, exactly once.</summary>
public sealed class FirstAdministratorTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    [Fact]
    public async Task Up_WithoutAnAdministrator_CreatesAdminOnce_EvenWhenOtherUsersExist()
    {
        await TestUsers.AddAsync(db, "someone", Roles.CountyBureau, "someone-password-1"); // e.g. the benchmark's user
        await using var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString);
        var users = TestUsers.Store(source);

        await UpCommand.FirstAdministratorAsync(users, CancellationToken.None);
        await UpCommand.FirstAdministratorAsync(users, CancellationToken.None);

        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM app_user WHERE role = 'administrator'"));
        Assert.True(await db.ScalarAsync<bool>("SELECT must_change_password FROM app_user WHERE name = 'admin'"));
        Assert.Null((await users.SignInAsync("admin", "not-its-password", "127.0.0.1", CancellationToken.None)).User);
    }
}
