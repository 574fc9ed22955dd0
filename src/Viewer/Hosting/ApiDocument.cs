using GeoMine.Viewer.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GeoMine.Viewer.Hosting;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>: title, the tags of <see cref="ApiTags"/>, the ways to sign in
/// (session cookie, bearer token, X-Api-Token, basic auth with the token) required on every operation that is not
/// anonymous, and the 401/403 answers those operations give. <c>./geomine test</c> lints it with Redocly's recommended
/// rules (tests/openapi-lint) and requires 0 errors.
/// </summary>
internal static class ApiDocument
{
    public const string CookieScheme = "session_cookie";
    public const string BearerScheme = "bearer_token";
    public const string HeaderScheme = "api_token_header";
    public const string BasicScheme = "basic_token";

    public static IServiceCollection AddGeoMineOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                Secure(operation, context.Description.ActionDescriptor.EndpointMetadata);
                return Task.CompletedTask;
            });
        });

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "GeoMine API";
        document.Info.Description =
            "Actions and data of GeoMine. Sign in (POST /api/session, cookie + X-XSRF-TOKEN on changes) or send an API token " +
            "(X-Api-Token, Bearer, or basic auth with the token as password). Map data: OGC API - Features at /ogc, vector tiles " +
            "at /tiles. JSON members are snake_case; instants are ISO-8601 in China time (+08:00); coordinates are EPSG:4490 " +
            "longitude, latitude in degrees unless a member says otherwise.";
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        document.Tags = new HashSet<OpenApiTag>(ApiTags.All.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [CookieScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = "geomine.session",
                Description = "Browser session from POST /api/session; changes also need header X-XSRF-TOKEN = cookie XSRF-TOKEN.",
            },
            [BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "API token (gm_…) of a user: geomine users token.",
            },
            [HeaderScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Api-Token", Description = "API token (gm_…) of a user.",
            },
            [BasicScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "basic",
                Description = "The user's sign-in name and API token as password (what QGIS and GDAL send).",
            },
        };
        document.Security = [.. new[] { CookieScheme, BearerScheme, HeaderScheme, BasicScheme }.Select(name =>
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(name, document)] = [] })];
        DescribeOgcItems(document);
    }

    /// <summary>The query of <c>/ogc/collections/{id}/items</c> (read by hand: its property filters depend on the collection).
    /// <c>limit</c> is a shared parameter with its maximum and default, as OGC API - Features' own definition has it: GDAL's
    /// OAPIF driver follows the landing page's service-desc link to it to choose its page size.</summary>
    private static void DescribeOgcItems(OpenApiDocument document)
    {
        if (document.Paths?.TryGetValue("/ogc/collections/{id}/items", out var path) != true
            || path!.Operations?.TryGetValue(HttpMethod.Get, out var items) != true)
        {
            return;
        }

        document.Components!.Parameters ??= new Dictionary<string, IOpenApiParameter>();
        document.Components.Parameters["limit"] = new OpenApiParameter
        {
            Name = "limit", In = ParameterLocation.Query, Required = false,
            Description = "Features per page; a larger value is served as the maximum (OGC API - Features 1.0.1).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = "10000", Default = 10 },
        };
        items!.Parameters ??= [];
        items.Parameters.Add(new OpenApiParameterReference("limit", document));
        foreach (var (name, description) in new[]
        {
            ("cursor", "The last id of the previous page, from its next link (pages without rescanning)."),
            ("offset", "Features to skip (the first page's alternative to cursor)."),
            ("bbox", "minLon,minLat,maxLon,maxLat in CRS84 degrees."),
            ("bbox-crs", "The CRS of bbox, in its axis order: CRS84 (default, lon,lat), EPSG:4490/4326 (lat,lon), 4491–4554 (northing,easting in metres)."),
            ("crs", "The CRS of the answer: CRS84 (default), EPSG:4490, 4326 (latitude first) or a CGCS2000 Gauss-Krüger zone 4491–4554."),
            ("datetime", "RFC 3339 instant, date (a whole China day) or interval (../ open); selects on " +
                string.Join(", ", Ogc.OgcCollections.All.Where(c => c.TimeField is not null).Select(c => $"{c.Name}.{c.TimeField}")) +
                "; the reference layers have no time, so any valid value selects every feature. Malformed: 400."),
            ("f", "json (the default and only encoding: GeoJSON)."),
        })
        {
            items.Parameters.Add(new OpenApiParameter
            {
                Name = name, In = ParameterLocation.Query, Required = false, Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        // Property filters: field=value (exact text match), the fields depending on the collection.
        items.Parameters.Add(new OpenApiParameter
        {
            Name = "properties", In = ParameterLocation.Query, Required = false, Style = ParameterStyle.Form, Explode = true,
            Description = "Property filters, each field=value (exact match, all must hold); any other parameter is 400. Fields by collection: " +
                string.Join("; ", Ogc.OgcCollections.All.Select(c => $"{c.Name}: {string.Join(", ", c.Fields)}")) + ".",
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object, AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        });
    }

    private static void Secure(OpenApiOperation operation, IList<object> metadata)
    {
        operation.Responses ??= new OpenApiResponses();
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = []; // anonymous: the feeds carry device ids, sign-in carries the password
            return;
        }

        operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Not signed in, or the token is unknown." });
        operation.Responses.TryAdd("403", new OpenApiResponse
        {
            Description = "Signed in, but the role may not do this, or the one-time password must be changed first.",
        });
    }
}

/// <summary>The groups of the HTTP API, one place: each endpoint family names its tag, the document describes them.</summary>
internal static class ApiTags
{
    public const string Session = "session";
    public const string Feeds = "feeds";
    public const string Records = "patrol-records";
    public const string Alarms = "alarms";
    public const string Assignments = "assignments";
    public const string Shafts = "shafts";
    public const string Tailings = "tailings";
    public const string Monitoring = "monitoring";
    public const string Coverage = "coverage";
    public const string Licences = "licences";
    public const string Search = "search";
    public const string Map = "map";
    public const string Ogc = "ogc";
    public const string Health = "health";

    public static IReadOnlyList<(string Name, string Description)> All { get; } =
    [
        (Session, "Sign in and out, who is signed in, changing one's password."),
        (Feeds, "Positions from phones, vehicles and equipment: Traccar Client / OsmAnd requests and batches. Anonymous: the device id is the credential."),
        (Records, "Patrol records (巡查记录) with photos, from phones and the page."),
        (Alarms, "The alarm loop: raised → acknowledged → verifying → closed, and the catalog of alarm kinds."),
        (Assignments, "Responsibility (包保 / 一对一): who answers for each sealed shaft, closed mine, tailings pond and town."),
        (Shafts, "Sealed shafts (封闭井口): details and patrol status."),
        (Tailings, "Tailings ponds (尾矿库, 头顶库): registry, surveys, approvals, inspections, class overrides."),
        (Monitoring, "Online monitoring of tailings ponds: points and readings."),
        (Coverage, "Patrol coverage of a period: tracks, visits, cells."),
        (Licences, "Mining rights (采矿权): licences that expire soon."),
        (Search, "Search by name or code across shafts, mines, rights, ponds and towns."),
        (Map, "What the map page reads: configuration, layers, vector tiles."),
        (Ogc, "OGC API - Features (Part 1 and 2) for QGIS and GDAL."),
        (Health, "Liveness and readiness for load balancers and monitoring."),
    ];
}
