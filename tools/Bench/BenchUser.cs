using GeoMine.Viewer.Access;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// The user a benchmark signs in as (the API needs one): <c>bench</c>, county-wide, with a fresh password and API token
/// for the run. <see cref="DisposeAsync"/> revokes the token and disables the user again, so a benchmark run on a real
/// database leaves no way in behind (the account and its audit rows stay, as every account change does).
/// </summary>
internal sealed class BenchUser : IAsyncDisposable
{
    public const string Name = "bench";

    private readonly NpgsqlDataSource _db;
    private readonly UserStore _users;

    private BenchUser(NpgsqlDataSource db, UserStore users, string password, string token) =>
        (_db, _users, Password, Token) = (db, users, password, token);

    public string Password { get; }

    public string Token { get; }

    public static async Task<BenchUser> CreateAsync(string connectionString, CancellationToken ct)
    {
        var db = GeoMine.Geo.Storage.GeoDataSource.Create(connectionString);
        var users = new UserStore(db, Options.Create(new AccessOptions()), TimeProvider.System);
        var password = UserStore.NewPassword();
        if ((await users.ListAsync(ct)).All(u => u.User.Name != Name))
        {
            await users.AddAsync(Name, Roles.CountyBureau, [], "benchmark", password, "geomine bench", ct);
        }
        else
        {
            await users.SetDisabledAsync(Name, false, "geomine bench", ct);
            await users.SetPasswordAsync(Name, password, oneTime: false, "geomine bench", ct);
        }

        var (_, token) = (await users.IssueTokenAsync(Name, "benchmark run", "geomine bench", ct))!.Value;
        return new BenchUser(db, users, password, token);
    }

    /// <summary>An HTTP client to the app at <paramref name="root"/> that sends this user's token.</summary>
    public HttpClient Client(string root)
    {
        var http = new HttpClient { BaseAddress = new Uri(root) };
        http.DefaultRequestHeaders.Add("X-Api-Token", Token);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await _users.RevokeTokensAsync(Name, null, "geomine bench", CancellationToken.None);
        await _users.SetDisabledAsync(Name, true, "geomine bench", CancellationToken.None);
        await _db.DisposeAsync();
    }
}
