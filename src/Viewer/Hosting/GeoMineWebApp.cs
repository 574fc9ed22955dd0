using GeoMine.Geo.Storage;
using GeoMine.Patrol;
using GeoMine.Viewer.Health;
using Npgsql;

namespace GeoMine.Viewer.Hosting;

/// <summary>Builds the web host: one process serving the API and the map page.</summary>
internal static class GeoMineWebApp
{
    /// <summary>Default address: loopback only; put a reverse proxy with TLS in front to publish it.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Connects to (and, for the managed cluster, starts) the database, applies migrations
    /// and builds the application. <paramref name="dbOption"/> as for <c>--db</c>.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args, string? dbOption, string? url = null)
    {
        var (connectionString, _) = await DatabaseTarget.Resolve(dbOption).EnsureAsync();
        await MigrationRunner.ApplyAsync(connectionString, PatrolModule.AllMigrations);
        return Build(args, connectionString, url);
    }

    /// <summary>Builds the application on a database that is already migrated.</summary>
    public static WebApplication Build(string[] args, string connectionString, string? url = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(url ?? builder.Configuration["GeoMine:Url"] ?? DefaultUrl);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });

        var app = builder.Build();
        app.MapHealthApi();
        return app;
    }
}
