using GeoMine.Geo;
using GeoMine.Geo.Import;
using GeoMine.Patrol.Devices;
using GeoMine.Patrol.Records;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Hosting;
using GeoMine.Viewer.Positions;
using Microsoft.AspNetCore.Http.HttpResults;
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
        // Anonymous at the pipeline only because a phone has no user session; AddAsync refuses any caller that is neither.
        var records = routes.MapGroup("/api/patrol-records").WithTags(ApiTags.Records);
        records.MapPost("", AddAsync).AllowAnonymous().WithName("addPatrolRecord")
            .WithSummary("A patrol record (巡查记录) with photos, as multipart/form-data, from a patrol phone (device token) or a signed-in user")
            .Accepts<PatrolRecordForm>("multipart/form-data").Produces<GeoMine.Patrol.Records.PatrolRecordResult>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        // Reading back is for signed-in users (the fallback policy), within their towns like every other read.
        records.MapGet("", ListAsync).WithName("listPatrolRecords").WithSummary("Patrol records, newest first, by shaft and period");
        records.MapGet("/{id:long}", GetAsync).WithName("getPatrolRecord").WithSummary("One patrol record with its photos' links");
        records.MapGet("/{id:long}/photos/{photoId:long}", PhotoAsync).WithName("getPatrolRecordPhoto").WithSummary("A photo of a patrol record, as stored")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg");
        return routes;
    }

    private const int MaxLimit = 1000;

    private static async Task<Results<Ok<PatrolRecordPage>, ProblemHttpResult>> ListAsync(
        Caller caller, PatrolRecordReader reader, string? shaft, string? from, string? to, string? limit, string? offset, CancellationToken ct)
    {
        if (!QueryValues.TryChinaTime(from, out var fromUtc))
        {
            return BadField("from", $"'{from}' is not {ChinaTime.IsoForm}");
        }

        if (!QueryValues.TryChinaTime(to, out var toUtc))
        {
            return BadField("to", $"'{to}' is not {ChinaTime.IsoForm}");
        }

        if (!QueryValues.TryCount(limit, 100, out var take) || take is < 1 or > MaxLimit)
        {
            return BadField("limit", $"must be a whole number from 1 to {MaxLimit}");
        }

        if (!QueryValues.TryCount(offset, 0, out var skip))
        {
            return BadField("offset", "must be a whole number ≥ 0");
        }

        var records = await reader.ListAsync(Towns(caller.Scope), string.IsNullOrWhiteSpace(shaft) ? null : shaft.Trim(), fromUtc, toUtc, take, skip, ct);
        return TypedResults.Ok(new PatrolRecordPage(take, skip, records.Select(PatrolRecordView.Of).ToList()));
    }

    private static async Task<Results<Ok<PatrolRecordView>, ProblemHttpResult>> GetAsync(Caller caller, PatrolRecordReader reader, long id, CancellationToken ct) =>
        await reader.FindAsync(Towns(caller.Scope), id, ct) is { } record
            ? TypedResults.Ok(PatrolRecordView.Of(record))
            : TypedResults.Problem($"no patrol record {id}", statusCode: StatusCodes.Status404NotFound, title: "unknown patrol record");

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PhotoAsync(
        Caller caller, PatrolRecordReader reader, long id, long photoId, CancellationToken ct) =>
        await reader.PhotoAsync(Towns(caller.Scope), id, photoId, ct) is { } photo
            ? TypedResults.File(photo.Content, photo.MediaType)
            : TypedResults.Problem($"no photo {photoId} of patrol record {id}", statusCode: StatusCodes.Status404NotFound, title: "unknown photo");

    /// <summary>The scope as the reader takes it: null for every town.</summary>
    private static long[]? Towns(TownScope scope) => scope.IsEverything ? null : scope.TownIds;

    private static ProblemHttpResult BadField(string field, string detail) =>
        TypedResults.Problem($"{field}: {detail}", statusCode: StatusCodes.Status400BadRequest, title: "bad patrol record request",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    private static async Task<IResult> AddAsync(
        HttpRequest request, Caller caller, PatrolRecordService records, DeviceRegistry devices, TimeProvider clock, NpgsqlDataSource db, CancellationToken ct)
    {
        var user = caller.User;
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
                Field("time") is { } time ? RecordTime(time) : clock.GetUtcNow().UtcDateTime,
                FixValues.OptionalNumber("lon", Field("lon")), FixValues.OptionalNumber("lat", Field("lat")),
                FixValues.OptionalNumber("accuracy", Field("accuracy")), Field("seal") ?? "", Field("remarks"), Field("device"));
        }
        catch (FixParseException e)
        {
            return Bad(e.Message);
        }

        // Who files decides whether the record is taken: a signed-in user within their towns, or a registered patrol
        // phone proving itself with its own token, in its owner's name, in a town where the owner answers for something.
        // A device key alone proves nothing (keys travel in every fix), and naming one never skips the town check.
        if (user is not null)
        {
            if (!user.Scope.IsEverything && !await user.Scope.HoldsAsync(db, LayerKind.Shafts, input.ShaftCode, ct))
            {
                return TypedResults.Problem($"shaft: no sealed shaft {input.ShaftCode} in your towns", statusCode: StatusCodes.Status404NotFound, title: "unknown shaft");
            }

            if (input.DeviceKey is { } named && (await devices.FindAsync(named, ct)) is not { Registered: true })
            {
                return Bad($"device: '{named}' is not a registered device");
            }
        }
        else if (input.DeviceKey is not { } key)
        {
            return Unauthorized("sign in, send an API token, or name the patrol phone (device) and send its X-GeoMine-Token");
        }
        else
        {
            var token = request.Headers.TryGetValue(PositionsApi.DeviceTokenHeader, out var h) ? h.ToString() : null;
            var (credential, phone) = await devices.CheckPatrolPhoneAsync(key, token, ct);
            switch (credential)
            {
                case PhoneCredential.Unknown:
                    return Unauthorized($"device: '{key}' is not a registered patrol phone");
                case PhoneCredential.NoToken:
                    return Unauthorized($"device: '{key}' has no ingest token, so it cannot file records; register one (geomine devices add --token)");
                case PhoneCredential.WrongToken:
                    return Unauthorized($"device: wrong or missing {PositionsApi.DeviceTokenHeader} for '{key}'");
                case PhoneCredential.Disabled:
                    return Forbidden($"device: '{key}' is disabled");
                case PhoneCredential.NotAPatrolPhone:
                    return Forbidden($"device: '{key}' is not a patrol phone");
            }

            var filing = await records.CheckPhoneFilingAsync(phone!.Id, input, ct);
            if (!filing.IsOwner)
            {
                return Forbidden(filing.OwnerName is { } owner
                    ? $"person: phone '{key}' belongs to {owner}, not {input.PersonName}"
                    : $"person: phone '{key}' has no registered owner, so it cannot file records for {input.PersonName}");
            }

            if (!filing.InScope)
            {
                return TypedResults.Problem($"shaft: no sealed shaft {input.ShaftCode} in the towns where {filing.OwnerName} holds an assignment",
                    statusCode: StatusCodes.Status404NotFound, title: "unknown shaft");
            }
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
            var filer = user is not null ? PatrolRecordFiler.User(user.Actor) : PatrolRecordFiler.Phone(input.DeviceKey!);
            var result = await records.AddAsync(input, filer, photos, ct);
            return TypedResults.Created($"/api/patrol-records/{result.Id}", result);
        }
        catch (PatrolRecordException e)
        {
            return Bad(e.Message);
        }
    }

    /// <summary>Epoch seconds or milliseconds, or ISO-8601 where no offset means China time (as everywhere a person types a time).</summary>
    private static DateTime RecordTime(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _)
            ? FixValues.Time("time", text)
            : ChinaTime.TryParseIso(text, out var utc) ? utc
            : throw new FixParseException($"time: '{text}' is not a time (ISO-8601, no offset = China time; or epoch seconds or milliseconds)");

    private static IResult Unauthorized(string detail) => new Challenge(detail, "who is sending this record?");

    private static IResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "not allowed to file this record");

    // The form's fields: a message "field: …" (or "photo NAME: …") names its field in the problem's `field`, so that a form can mark it.
    private static readonly string[] FormFields = ["shaft", "person", "kind", "time", "lon", "lat", "accuracy", "seal", "remarks", "device", "photo"];

    private static IResult Bad(string detail)
    {
        var end = detail.IndexOfAny([':', ' ']);
        var named = end > 0 ? detail[..end] : "";
        var field = named == "lat/lon" ? "lat" : FormFields.Contains(named) ? named : null;
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "bad patrol record",
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });
    }
}

/// <summary>The form fields of <c>POST /api/patrol-records</c> (multipart/form-data; what AddAsync reads).</summary>
/// <param name="Shaft">Sealed shaft code (required).</param>
/// <param name="Person">Who patrolled (required).</param>
/// <param name="Kind">on_site (default) or the other record kinds.</param>
/// <param name="Time">When: ISO-8601, no offset = China time; left out = now.</param>
/// <param name="Lon">Where the phone was: WGS84 longitude, degrees.</param>
/// <param name="Lat">WGS84 latitude, degrees.</param>
/// <param name="Accuracy">Horizontal accuracy, metres.</param>
/// <param name="Seal">The seal as found (intact, damaged, …; required).</param>
/// <param name="Remarks">Free text.</param>
/// <param name="Device">The patrol phone's device id (with its token) when a phone sends it.</param>
/// <param name="Photo">One or more photos (JPEG/PNG).</param>
internal sealed record PatrolRecordForm(
    string Shaft, string Person, string? Kind, string? Time, double? Lon, double? Lat, double? Accuracy, string Seal, string? Remarks, string? Device,
    IFormFileCollection? Photo);
