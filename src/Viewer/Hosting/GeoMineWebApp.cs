using GeoMine.Viewer.Access;
using GeoMine.Viewer.Alarms;
using GeoMine.Viewer.Assignments;
using GeoMine.Viewer.Coverage;
using GeoMine.Viewer.Health;
using GeoMine.Viewer.Monitoring;
using GeoMine.Viewer.Notifications;
using GeoMine.Viewer.Ogc;
using GeoMine.Viewer.Positions;
using GeoMine.Viewer.Records;
using GeoMine.Viewer.Search;
using GeoMine.Viewer.Shafts;
using GeoMine.Viewer.Tailings;
using GeoMine.Viewer.Tiles;
using GeoMine.Viewer.Catalogs;
using GeoMine.Viewer.ViewerConfig;

using Microsoft.AspNetCore.HttpOverrides;

namespace GeoMine.Viewer.Hosting;

/// <summary>Builds the web host: one process serving the API and the map page.</summary>
internal static class GeoMineWebApp
{
    /// <summary>Default address: loopback only; put a reverse proxy with TLS in front to publish it.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Port of the Traccar Client / OsmAnd feed (Traccar's own default). Listens on all
    /// interfaces: phones in the field must reach it.</summary>
    public const int DefaultOsmAndPort = 5055;

    /// <summary>Builds the application on a database that is already migrated. Without
    /// <paramref name="connectionString"/> the setting <c>GeoMine:ConnectionString</c> is read when
    /// the first request needs the database (how WebApplicationFactory tests point it at theirs).</summary>
    public static WebApplication Build(string[] args, string? connectionString, string? url = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var osmAndPort = builder.Configuration.GetValue("GeoMine:OsmAndPort", DefaultOsmAndPort);
        var mainUrl = url ?? builder.Configuration["GeoMine:Url"] ?? DefaultUrl;
        builder.WebHost.UseUrls(mainUrl, $"http://0.0.0.0:{osmAndPort}");
        builder.Services.AddSingleton(new PublicBaseUrl(builder.Configuration["GeoMine:PublicBaseUrl"] ?? mainUrl));
        // Client addresses (sign-in pauses, unknown-device allowances) come from X-Forwarded-For only when the request comes
        // from a proxy listed in GeoMine:KnownProxies; from anyone else the header is ignored.
        var proxies = builder.Configuration.GetSection("GeoMine:KnownProxies").Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(System.Net.IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new ArgumentException($"GeoMine:KnownProxies: '{proxy}' is not an IP address"));
            }
        });
        builder.Services.AddGeoMine(builder.Configuration, connectionString);
        builder.Services.AddHostedService<GeoMine.Viewer.Positions.PartitionsAhead>();
        // Fixes are classified on the node that stored them as soon as they are complete (Detection:Live, default on).
        if (builder.Configuration.GetValue("Detection:Live", true))
        {
            builder.Services.AddSingleton<GeoMine.Viewer.Positions.LiveDetection>();
            builder.Services.AddHostedService(provider => provider.GetRequiredService<GeoMine.Viewer.Positions.LiveDetection>());
        }

        // Every node listens for alarm changes (PostgreSQL NOTIFY) and streams them to its pages.
        builder.Services.AddSingleton<GeoMine.Viewer.Alarms.AlarmFeed>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<GeoMine.Viewer.Alarms.AlarmFeed>());
        // Every node delivers alarm notifications once channels are configured (each delivery goes out once, see
        // NotificationDispatcher); without channels nothing is routed, and notices wait for the first channel.
        if (builder.Configuration.GetSection("Notifications:Channels").GetChildren().Any())
        {
            builder.Services.AddHostedService<GeoMine.Viewer.Notifications.NotificationWorker>();
        }
        // The demo county's devices replay their recorded tracks through this server's feed while the demo is loaded.
        builder.Services.Configure<GeoMine.Viewer.Demo.DemoOptions>(builder.Configuration.GetSection("Demo"));
        if (builder.Configuration.GetValue("Demo:Replay", true))
        {
            builder.Services.AddHostedService<GeoMine.Viewer.Demo.DemoReplay>();
        }

        builder.Services.AddGeoMineAccess();
        builder.Services.AddRequestGuard();
        builder.Services.AddHeavyRequestLimit(builder.Configuration);
        builder.Services.AddGeoMineOpenApi();
        // Typed request bodies that do not bind throw, so that RequestGuard answers 400 naming the member (not an empty 400).
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });

        var app = builder.Build();
        if (proxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        // Which node answered (behind a load balancer): GeoMine:NodeName, else the machine's name.
        var nodeName = builder.Configuration["GeoMine:NodeName"] is { Length: > 0 } named ? named : Environment.MachineName;
        app.Use((context, next) =>
        {
            context.Response.Headers["X-GeoMine-Node"] = nodeName;
            return next(context);
        });
        app.UseRequestGuard();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseGeoMineAccess();
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous(); // the description of the API is no secret
        app.MapSessionApi();
        app.MapHealthApi();
        app.MapPositionsApi(osmAndPort);
        app.MapPatrolRecordsApi();
        app.MapMonitoringApi();
        app.MapCoverageApi();
        app.MapOgcFeaturesApi();
        app.MapVectorTilesApi();
        app.MapLayersApi();
        app.MapCodesApi();
        app.MapDutyApi();
        app.MapRegistryApi();
        app.MapTailingsApi();
        app.MapAlarmsApi();
        app.MapShaftsApi();
        app.MapSearchApi();
        GeoMine.Viewer.Licences.LicenceValidityApi.MapLicenceValidityApi(app);
        app.MapViewerConfigApi();
        app.MapAssignmentsApi();
        return app;
    }
}
