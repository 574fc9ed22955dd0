using GeoMine.Geo.Import;
using GeoMine.Patrol.Devices;
using GeoMine.Patrol.Records;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Positions;
using Npgsql;

namespace GeoMine.Viewer.Records;

/// <summary>
/// <c>POST /api/patrol-records</c>: a patrol record from the field as <c>multipart/form-data</c> — fields
/// <c>shaft, person, kind (on_site|online), time (ISO-8601 or epoch), lat, lon, accuracy, seal
/// (intact|damaged|opened|signs_of_entry), remarks, device</c> and any number of <c>photo</c> files
/// (JPEG or PNG by content, ≤ 5 MiB each). All or nothing; 400 names the field.
/// </summary>
internal static class PatrolRecordsApi
{
    public static IEndpointRouteBuilder MapPatrolRecordsApi(this IEndpointRouteBuilder routes)
    {
        // From a patrol phone (its device token) or from a signed-in user (the shaft must be in their towns).
        routes.MapPost("/api/patrol-records", AddAsync).AllowAnonymous();
        return routes;
    }

    private static async Task<IResult> AddAsync(HttpRequest request, PatrolRecordService records, DeviceRegistry devices, TimeProvider clock, NpgsqlDataSource db, CancellationToken ct)
    {
        var user = await AccessSetup.CurrentAsync(request.HttpContext);
        if (!request.HasFormContentType)
        {
            return Bad("Content-Type: expected multipart/form-data");
        }

        var form = await request.ReadFormAsync(ct);
        string? Field(string name) => form.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString().Trim() : null;
        PatrolRecordInput input;
        try
        {
            input = new PatrolRecordInput(
                Field("shaft") ?? "", Field("person") ?? "", Field("kind") ?? "on_site",
                Field("time") is { } time ? FixValues.Time("time", time) : clock.GetUtcNow().UtcDateTime,
                FixValues.OptionalNumber("lon", Field("lon")), FixValues.OptionalNumber("lat", Field("lat")),
                FixValues.OptionalNumber("accuracy", Field("accuracy")), Field("seal") ?? "", Field("remarks"), Field("device"));
        }
        catch (FixParseException e)
        {
            return Bad(e.Message);
        }

        if (input.DeviceKey is { } key)
        {
            var token = request.Headers.TryGetValue("X-GeoMine-Token", out var h) ? h.ToString() : null;
            if (!await devices.CheckTokenAsync(key, token, ct))
            {
                return TypedResults.Problem($"device {key}: wrong or missing X-GeoMine-Token", statusCode: StatusCodes.Status401Unauthorized);
            }
        }
        else if (user is null)
        {
            return TypedResults.Problem("sign in, send an API token, or name the patrol phone (device) and its X-GeoMine-Token",
                statusCode: StatusCodes.Status401Unauthorized, title: "who is sending this record?");
        }
        else if (!user.Scope.IsEverything && !await user.Scope.HoldsAsync(db, LayerKind.Shafts, input.ShaftCode, ct))
        {
            return TypedResults.Problem($"shaft: no sealed shaft {input.ShaftCode} in your towns", statusCode: StatusCodes.Status404NotFound, title: "unknown shaft");
        }

        var photos = new List<PatrolPhoto>();
        foreach (var file in form.Files)
        {
            if (file.Length > PatrolPhoto.MaxBytes)
            {
                return Bad($"photo {file.FileName}: {file.Length} bytes, at most {PatrolPhoto.MaxBytes}");
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            photos.Add(new PatrolPhoto(file.FileName, buffer.ToArray()));
        }

        try
        {
            var result = await records.AddAsync(input, photos, ct);
            return TypedResults.Created($"/api/patrol-records/{result.Id}", result);
        }
        catch (PatrolRecordException e)
        {
            return Bad(e.Message);
        }
    }

    private static IResult Bad(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "bad patrol record");
}
