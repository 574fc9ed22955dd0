using GeoMine.TestSupport;
using GeoMine.Viewer.Access;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GeoMine.Viewer.Tests;

/// <summary>The real application in memory, on its own throw-away PostGIS database. <see cref="WebApplicationFactory{T}.CreateClient()"/>
/// clients send an administrator's API token; <see cref="CreateAnonymousClient"/> and <see cref="CreateClientAsAsync"/> make others.</summary>
public sealed class GeoMineApplication(PostgisFixture db) : WebApplicationFactory<Program>
{
    private string? _adminToken;

    public PostgisFixture Database => db;

    /// <summary>A client that sends no credentials (cookies are kept between its requests).</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Remove("X-Api-Token");
        return client;
    }

    /// <summary>A client that sends the API token of user <paramref name="name"/> (created with that role and towns if missing).</summary>
    public async Task<HttpClient> CreateClientAsAsync(string name, string role, params string[] towns)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Token", await TestUsers.TokenAsync(db, name, role, towns));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("GeoMine:ConnectionString", db.ConnectionString);

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        _adminToken ??= TestUsers.TokenAsync(db, TestUsers.Admin, Roles.Administrator).GetAwaiter().GetResult();
        client.DefaultRequestHeaders.Add("X-Api-Token", _adminToken);
    }
}
