using GeoMine.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GeoMine.Viewer.Tests;

/// <summary>The real application in memory, on its own throw-away PostGIS database.</summary>
public sealed class GeoMineApplication(PostgisFixture db) : WebApplicationFactory<Program>
{
    public PostgisFixture Database => db;

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("GeoMine:ConnectionString", db.ConnectionString);
}
