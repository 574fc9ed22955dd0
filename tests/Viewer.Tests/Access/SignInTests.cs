using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GeoMine.TestSupport;
using GeoMine.Viewer.Access;

namespace GeoMine.Viewer.Tests.Access;

/// <summary>Sign-in, sessions, anti-forgery, lock-out and API tokens over the real app on a real PostGIS.</summary>
public sealed class SignInTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    private const string Protected = "/ogc/collections/shafts/items?limit=1";

    [Fact]
    public async Task Anonymous_IsRefusedEverywhereButThePageHealthAndDeviceFeeds()
    {
        await using var app = new GeoMineApplication(db);
        var client = app.CreateAnonymousClient();

        foreach (var url in new[] { Protected, "/ogc/collections", "/tiles/shafts/10/800/420.mvt", "/api/tailings", "/api/session", "/api/monitoring/points" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(url)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/signin.html")).StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await client.GetAsync("/health")).StatusCode);
        // The Traccar feed authenticates devices by their own tokens: an unknown device is accepted as such, not refused for lack of a user.
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/osmand?id=nobody&lat=29.3&lon=105.9&timestamp=1700000000")).StatusCode);
    }

    [Fact]
    public async Task CookieSession_StateChangingCallsNeedTheAntiForgeryHeader()
    {
        await TestUsers.AddAsync(db, "cookie-user", Roles.CountyBureau, "cookie-password-1");
        await using var app = new GeoMineApplication(db);
        var client = app.CreateAnonymousClient();

        var wrong = await client.PostAsJsonAsync("/api/session", new { name = "cookie-user", password = "not-the-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Protected)).StatusCode);

        var signIn = await client.PostAsJsonAsync("/api/session", new { name = "cookie-user", password = "cookie-password-1" });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var session = await signIn.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("county_bureau", session.GetProperty("role").GetString());
        var setCookies = signIn.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(setCookies, c => c.StartsWith("geomine.session=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase)
            && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));
        var xsrf = Uri.UnescapeDataString(setCookies.Single(c => c.StartsWith("XSRF-TOKEN=", StringComparison.Ordinal)).Split(';')[0]["XSRF-TOKEN=".Length..]);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Protected)).StatusCode);

        // Same session cookie, no header: refused, and the session is still there.
        var forged = await client.DeleteAsync("/api/session");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("anti-forgery", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var wrongToken = new HttpRequestMessage(HttpMethod.Delete, "/api/session") { Headers = { { AccessSetup.XsrfHeader, "bogus" } } };
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(wrongToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Protected)).StatusCode);

        var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/session") { Headers = { { AccessSetup.XsrfHeader, xsrf } } };
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(signOut)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Protected)).StatusCode);
    }

    [Fact]
    public async Task FiveWrongPasswords_PauseTheNameFromThatAddress_WithTheSameAnswerAsAnyFailure()
    {
        await TestUsers.AddAsync(db, "lock-user", Roles.TailingsReviewer, "lock-password-1");
        await using var app = new GeoMineApplication(db);
        var client = app.CreateAnonymousClient();

        async Task<(HttpStatusCode Status, string Body)> SignIn(string name, string password)
        {
            var response = await client.PostAsJsonAsync("/api/session", new { name, password });
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var unknownAccount = await SignIn("no-such-user", "whatever-1");
        var answers = new List<(HttpStatusCode, string)>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await SignIn("lock-user", $"wrong-{i}"));
        }

        var rightButPaused = await SignIn("lock-user", "lock-password-1");

        Assert.Equal(HttpStatusCode.Unauthorized, unknownAccount.Status);
        Assert.All(answers, a => Assert.Equal(unknownAccount, a)); // an existing account answers as a made-up one
        Assert.Equal(unknownAccount, rightButPaused);               // and a paused one too: the right password does not open it
        Assert.Equal(1L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM app_user_event e JOIN app_user u ON u.id = e.user_id WHERE u.name = 'lock-user' AND e.kind = 'locked_out'"));
        var pausedFor = await db.ScalarAsync<double>(
            "SELECT (extract(epoch FROM max(failed_at) + interval '15 minutes' - now()) / 60)::float8 FROM sign_in_failure WHERE user_name = 'lock-user'");
        Assert.InRange(pausedFor, 14, 15.01); // Access:LockoutDuration, 15 min by default
    }

    [Fact]
    public async Task PausedFromOneAddress_TheSameAccountStillSignsInFromAnother_AndAPasswordResetLiftsThePause()
    {
        await TestUsers.AddAsync(db, "admin-two", Roles.Administrator, "admin-password-2");
        await using var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString);
        var users = TestUsers.Store(source);
        for (var i = 0; i < 5; i++)
        {
            Assert.Null((await users.SignInAsync("admin-two", $"guess-{i}", "198.51.100.7", CancellationToken.None)).User);
        }

        Assert.Null((await users.SignInAsync("admin-two", "admin-password-2", "198.51.100.7", CancellationToken.None)).User);
        Assert.NotNull((await users.SignInAsync("admin-two", "admin-password-2", "192.0.2.10", CancellationToken.None)).User);

        await users.SetPasswordAsync("admin-two", "admin-password-3", oneTime: false, "test", CancellationToken.None);
        Assert.NotNull((await users.SignInAsync("admin-two", "admin-password-3", "198.51.100.7", CancellationToken.None)).User);
    }

    [Fact]
    public async Task OneAddressGuessingManyNames_IsPaused_AndManyAddressesGuessingOneName_PauseItEverywhere()
    {
        await TestUsers.AddAsync(db, "sprayed", Roles.CountyBureau, "sprayed-password-1");
        await TestUsers.AddAsync(db, "guessed", Roles.CountyBureau, "guessed-password-1");
        await using var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString);
        var users = TestUsers.Store(source);

        // 20 failures from one address over 20 names (Access:AddressLockoutAttempts): the address is paused for every name.
        for (var i = 0; i < 20; i++)
        {
            await users.SignInAsync($"name-{i}", "x-password-1", "203.0.113.5", CancellationToken.None);
        }

        Assert.Null((await users.SignInAsync("sprayed", "sprayed-password-1", "203.0.113.5", CancellationToken.None)).User);
        Assert.NotNull((await users.SignInAsync("sprayed", "sprayed-password-1", "203.0.113.6", CancellationToken.None)).User);

        // 50 failures of one name from 25 addresses, 2 each (Access:AccountLockoutAttempts): paused from a new address too.
        for (var i = 0; i < 50; i++)
        {
            await users.SignInAsync("guessed", "x-password-1", $"10.9.{i / 2}.1", CancellationToken.None);
        }

        Assert.Null((await users.SignInAsync("guessed", "guessed-password-1", "192.0.2.99", CancellationToken.None)).User);
        Assert.NotNull((await users.ListAsync(CancellationToken.None)).Single(u => u.User.Name == "guessed").LockedUntil);
    }

    [Fact]
    public async Task ApiTokenOfAUserWithAOneTimePassword_IsRefusedUntilThePasswordIsChanged()
    {
        await using var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString);
        var users = TestUsers.Store(source);
        var (_, oneTime) = await users.AddAsync("token-first", Roles.CountyBureau, [], null, null, "test", CancellationToken.None);
        var token = (await users.IssueTokenAsync("token-first", "test", "test", CancellationToken.None))!.Value.Token;
        await using var app = new GeoMineApplication(db);
        var client = app.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Token", token);

        var before = await client.GetAsync(Protected);
        var change = await client.PostAsJsonAsync("/api/session/password", new { current_password = oneTime, new_password = "token-first-password-2" });
        var after = await client.GetAsync(Protected);

        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        Assert.Contains("one-time password", await before.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task OneTimePassword_MustBeChangedBeforeAnythingElse()
    {
        await using var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString);
        var (_, oneTime) = await TestUsers.Store(source).AddAsync("new-user", Roles.CountyBureau, [], "新用户", null, "test", CancellationToken.None);
        await using var app = new GeoMineApplication(db);
        var client = app.CreateAnonymousClient();

        var signIn = await client.PostAsJsonAsync("/api/session", new { name = "new-user", password = oneTime });
        Assert.True((await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("must_change_password").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Protected)).StatusCode);

        var xsrf = Uri.UnescapeDataString(signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("XSRF-TOKEN=", StringComparison.Ordinal)).Split(';')[0]["XSRF-TOKEN=".Length..]);
        var tooShort = new HttpRequestMessage(HttpMethod.Post, "/api/session/password")
        {
            Headers = { { AccessSetup.XsrfHeader, xsrf } },
            Content = JsonContent.Create(new { current_password = oneTime, new_password = "short" }),
        };
        var refused = await client.SendAsync(tooShort);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("password", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());

        var change = new HttpRequestMessage(HttpMethod.Post, "/api/session/password")
        {
            Headers = { { AccessSetup.XsrfHeader, xsrf } },
            Content = JsonContent.Create(new { current_password = oneTime, new_password = "a-new-password-2" }),
        };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(change)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Protected)).StatusCode);
        Assert.False(await db.ScalarAsync<bool>("SELECT must_change_password FROM app_user WHERE name = 'new-user'"));
    }

    [Fact]
    public async Task ApiToken_AsHeaderBearerOrBasicAuth_AndNotOnceRevokedOrDisabled()
    {
        var token = await TestUsers.TokenAsync(db, "script-user", Roles.CountyBureau);
        await using var app = new GeoMineApplication(db);
        var client = app.CreateAnonymousClient();

        async Task<HttpStatusCode> GetWith(Action<HttpRequestHeaders> auth)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, Protected);
            auth(request.Headers);
            return (await client.SendAsync(request)).StatusCode;
        }

        static AuthenticationHeaderValue Basic(string user, string password) =>
            new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

        Assert.Equal(HttpStatusCode.OK, await GetWith(h => h.Add("X-Api-Token", token)));
        Assert.Equal(HttpStatusCode.OK, await GetWith(h => h.Authorization = new AuthenticationHeaderValue("Bearer", token)));
        Assert.Equal(HttpStatusCode.OK, await GetWith(h => h.Authorization = Basic("script-user", token)));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetWith(h => h.Authorization = Basic(TestUsers.Admin, token)));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetWith(h => h.Add("X-Api-Token", token + "x")));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE u.name = 'script-user' AND t.last_used_at IS NOT NULL"));
        // Stored as a hash only.
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM api_token WHERE position(convert_to(@t, 'UTF8') IN token_sha256) > 0", ("t", token)));

        // Revoked and disabled take effect (a fresh app: nothing cached).
        var revoked = await TestUsers.TokenAsync(db, "script-user", Roles.CountyBureau);
        await using var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString);
        var users = TestUsers.Store(source);
        var second = await TestUsers.TokenAsync(db, "disabled-user", Roles.CountyBureau);
        var tokenId = await db.ScalarAsync<long>("SELECT max(id) FROM api_token t WHERE t.user_id = (SELECT id FROM app_user WHERE name = 'script-user')");
        Assert.Equal(1, await users.RevokeTokensAsync("script-user", tokenId, "test", CancellationToken.None));
        Assert.True(await users.SetDisabledAsync("disabled-user", true, "test", CancellationToken.None));
        await using var fresh = new GeoMineApplication(db);
        var freshClient = fresh.CreateAnonymousClient();
        freshClient.DefaultRequestHeaders.Add("X-Api-Token", revoked);
        Assert.Equal(HttpStatusCode.Unauthorized, (await freshClient.GetAsync(Protected)).StatusCode);
        freshClient.DefaultRequestHeaders.Remove("X-Api-Token");
        freshClient.DefaultRequestHeaders.Add("X-Api-Token", second);
        Assert.Equal(HttpStatusCode.Unauthorized, (await freshClient.GetAsync(Protected)).StatusCode);
        freshClient.DefaultRequestHeaders.Remove("X-Api-Token");
        freshClient.DefaultRequestHeaders.Add("X-Api-Token", token); // the first token of script-user still works
        Assert.Equal(HttpStatusCode.OK, (await freshClient.GetAsync(Protected)).StatusCode);
    }
}
