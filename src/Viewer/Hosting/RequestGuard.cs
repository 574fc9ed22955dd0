using Microsoft.AspNetCore.Http.Features;
using System.Text.Json;
using Npgsql;

namespace GeoMine.Viewer.Hosting;

/// <summary>
/// One input-validation layer in front of every endpoint, and the last word on errors:
/// <list type="bullet">
/// <item>security headers on every response (CSP without inline script, nosniff, no framing, no referrer leaks);</item>
/// <item>query parameters and form fields with a NUL or control character (tab and line breaks allowed in form text),
/// or longer than <see cref="MaxValueLength"/>, answer 400 naming the parameter — PostgreSQL cannot store NUL, and a
/// btree key cannot hold 8 000 characters;</item>
/// <item>a malformed, truncated or oversized request (multipart without boundary, too many fields, a body over the limit)
/// answers 400 or 413 with a message; a value PostgreSQL refuses as data (22xxx, 54000) answers 400;</item>
/// <item>anything else answers 500 with a reference to the log line, never a stack trace or a database address.</item>
/// </list>
/// </summary>
internal static class RequestGuard
{
    /// <summary>The longest query value or form field taken (remarks and feedback fit; an 8 000-character id does not).</summary>
    public const int MaxValueLength = 4000;

    /// <summary>Most form fields one request may have (a patrol record has about a dozen).</summary>
    public const int MaxFormFields = 64;

    /// <summary>Largest request body, bytes: a patrol record with several phone photos, or a 50 000-fix batch.</summary>
    public const long MaxBodyBytes = 32L * 1024 * 1024;

    /// <summary>The page's policy: its own scripts only, and images from itself and from the configured base map's origin
    /// (<c>Viewer:BaseMap:Url</c>, whatever its scheme: an office's tile server may be plain http on its intranet), never
    /// from any other site.</summary>
    internal static string ContentSecurityPolicy(string? baseMapUrl) =>
        $"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{BaseMapSource(baseMapUrl)}; " +
        "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>" scheme://host[:port]" of a tile URL template; a host label with a placeholder (Tianditu's
    /// <c>t{0-7}.tianditu.gov.cn</c>) becomes <c>*</c>. Empty when there is no base map or the URL is not http(s).</summary>
    private static string BaseMapSource(string? url)
    {
        var match = url is null ? null : System.Text.RegularExpressions.Regex.Match(url, @"^(https?)://([^/?#]+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        if (match is not { Success: true })
        {
            return "";
        }

        var host = string.Join('.', match.Groups[2].Value.Split('.').Select(label => label.Contains('{', StringComparison.Ordinal) ? "*" : label));
        return host.Any(c => char.IsWhiteSpace(c) || c is ';' or ',' or '\'' or '"') ? "" : $" {match.Groups[1].Value.ToLowerInvariant()}://{host}";
    }

    public static IServiceCollection AddRequestGuard(this IServiceCollection services)
    {
        services.Configure<FormOptions>(o =>
        {
            o.ValueCountLimit = MaxFormFields;
            o.ValueLengthLimit = MaxValueLength;
            o.KeyLengthLimit = 200;
            o.MultipartBodyLengthLimit = MaxBodyBytes;
            o.MultipartHeadersCountLimit = 16;
        });
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxBodyBytes);
        return services;
    }

    public static WebApplication UseRequestGuard(this WebApplication app)
    {
        var baseMap = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GeoMine.Viewer.ViewerConfig.BaseMapOptions>>().Value;
        var policy = ContentSecurityPolicy(baseMap.Type is "xyz" or "wmts" ? baseMap.Url : null);
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            try
            {
                if (BadQuery(context.Request) is { } query)
                {
                    await Problem(context, StatusCodes.Status400BadRequest, "bad request", query);
                    return;
                }

                if (context.Request.HasFormContentType && await BadFormAsync(context.Request) is { } form)
                {
                    await Problem(context, StatusCodes.Status400BadRequest, "bad request", form);
                    return;
                }

                if (context.Request.HasJsonContentType() && !IsFeed(context.Request.Path) && await BadJsonAsync(context.Request) is { } json)
                {
                    await Problem(context, StatusCodes.Status400BadRequest, "bad request", json);
                    return;
                }

                await next();
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted && e.InnerException is JsonException)
            {
                // A typed request body that does not fit its record: name the member, never the CLR type's internals.
                var json = (JsonException)e.InnerException!;
                var field = BodyField(json.Path);
                await TypedResults.Problem($"{field}: {JsonProblem(context, field)}", statusCode: e.StatusCode, title: "bad request",
                    extensions: new Dictionary<string, object?> { ["field"] = field }).ExecuteAsync(context);
            }
            catch (Exception e) when (!context.Response.HasStarted && Refusal(e) is { } refusal)
            {
                await Problem(context, refusal.Status, refusal.Title, refusal.Detail);
            }
            catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
            {
                app.Logger.LogError(e, "request {TraceId} {Method} {Path} failed", context.TraceIdentifier, context.Request.Method, context.Request.Path);
                await Problem(context, StatusCodes.Status500InternalServerError, "internal error",
                    $"the request could not be completed; the server log has the details under reference {context.TraceIdentifier}");
            }
        });
        return app;
    }

    /// <summary>The message for a failure the client caused, or null for the server's own.</summary>
    private static (int Status, string Title, string Detail)? Refusal(Exception e) => e switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => (StatusCodes.Status415UnsupportedMediaType,
            "unsupported media type", "send the body as JSON with Content-Type: application/json"),
        BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } b when b.Message.Contains("was not provided from body", StringComparison.Ordinal)
            || b.Message.Contains("no body was provided", StringComparison.Ordinal) => (StatusCodes.Status400BadRequest, "bad request",
            "body: a JSON object is required"),
        BadHttpRequestException b => (b.StatusCode, b.StatusCode == 413 ? "request too large" : "bad request",
            b.StatusCode == 413 ? $"the request body is larger than {MaxBodyBytes / (1024 * 1024)} MiB" : $"the request could not be read: {b.Message}"),
        InvalidDataException d => (StatusCodes.Status400BadRequest, "bad request", $"the form could not be read: {d.Message}"),
        IOException { InnerException: BadHttpRequestException b } => (b.StatusCode, "bad request", $"the request could not be read: {b.Message}"),
        NpgsqlException { InnerException: TimeoutException } => (StatusCodes.Status503ServiceUnavailable, "took too long",
            "the database did not finish this request within the command timeout; ask for less (a shorter period, one town) or try again later"),
        PostgresException p when p.SqlState.StartsWith("22", StringComparison.Ordinal) || p.SqlState == PostgresErrorCodes.ProgramLimitExceeded =>
            (StatusCodes.Status400BadRequest, "value not accepted", $"a value of the request is not accepted by the database: {p.MessageText}"),
        _ => ((int, string, string)?)null,
    };

    private static string? BadQuery(HttpRequest request)
    {
        foreach (var (key, values) in request.Query)
        {
            if (Bad(key, allowLineBreaks: false) is { } k)
            {
                return $"query parameter name: {k}";
            }

            foreach (var value in values)
            {
                if (value is not null && Bad(value, allowLineBreaks: false) is { } problem)
                {
                    return $"{key}: {problem}";
                }
            }
        }

        return null;
    }

    private static async Task<string?> BadFormAsync(HttpRequest request)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (IOException e) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return $"the form could not be read (truncated or malformed): {e.Message}";
        }

        foreach (var (key, values) in form)
        {
            if (Bad(key, allowLineBreaks: false) is { } k)
            {
                return $"form field name: {k}";
            }

            foreach (var value in values)
            {
                if (value is not null && Bad(value, allowLineBreaks: true) is { } problem)
                {
                    return $"{key}: {problem}";
                }
            }
        }

        foreach (var file in form.Files)
        {
            if (Bad(file.FileName, allowLineBreaks: false) is { } problem)
            {
                return $"{file.Name} (file name): {problem}";
            }
        }

        return null;
    }

    /// <summary>The member of a JSON body named by a System.Text.Json path (<c>$.version</c> → <c>version</c>; the root → <c>body</c>).</summary>
    private static string BodyField(string? path) =>
        path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>What kind of value the member <paramref name="field"/> of the endpoint's typed body takes, in the words of the
    /// API (System.Text.Json's own message names only the record type).</summary>
    private static string JsonProblem(HttpContext context, string field)
    {
        var body = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
        var type = body?.GetProperties().FirstOrDefault(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == field)?.PropertyType;
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null when field == "body" => "must be a JSON object",
            null => "is not valid here",
            _ when type == typeof(int) || type == typeof(long) => "must be a whole number",
            _ when type == typeof(double) || type == typeof(decimal) => "must be a number",
            _ when type == typeof(string) => "must be text (a JSON string)",
            _ when type == typeof(bool) => "must be true or false",
            _ when type.IsArray || type.IsGenericType => "must be a JSON array",
            _ => "must be a JSON object",
        };
    }

    /// <summary>The position feeds parse their own JSON in one pass (ingest is hot) and check each field themselves.</summary>
    private static bool IsFeed(PathString path) =>
        path.StartsWithSegments("/api/positions") || path.StartsWithSegments("/api/osmand") || path == "/";

    /// <summary>The first JSON string (member name or value) with a control character or over the length limit, named by its
    /// path (<c>readings[0].pond</c>), or null. The body is buffered so that the endpoint reads it again.</summary>
    private static async Task<string?> BadJsonAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        var reader = new Utf8JsonReader(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        // Where the reader is: one frame per open object (its current member) or array (its current index).
        var frames = new List<(bool IsArray, string Member, int Index)>();
        string Path() => string.Concat(frames.Select(f => f.IsArray ? $"[{f.Index}]" : $".{f.Member}")).TrimStart('.');
        void AfterValue()
        {
            if (frames.Count > 0 && frames[^1].IsArray)
            {
                frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
            }
        }

        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        frames.Add((reader.TokenType == JsonTokenType.StartArray, "", 0));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        AfterValue();
                        break;
                    case JsonTokenType.PropertyName:
                        var member = reader.GetString()!;
                        if (Bad(member, allowLineBreaks: false) is { } badMember)
                        {
                            return $"member name after '{Path()}': {badMember}";
                        }

                        frames[^1] = frames[^1] with { Member = member };
                        break;
                    case JsonTokenType.String when Bad(reader.GetString()!, allowLineBreaks: true) is { } badValue:
                        return $"{Path()}: {badValue}";
                    default:
                        AfterValue();
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null; // not JSON: the endpoint says so in its own words
        }
        catch (InvalidOperationException)
        {
            return "a JSON string is not valid UTF-16 text";
        }

        return null;
    }

    /// <summary>What is wrong with a text value, or null.</summary>
    private static string? Bad(string text, bool allowLineBreaks)
    {
        if (text.Length > MaxValueLength)
        {
            return $"{text.Length} characters, at most {MaxValueLength}";
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) && !(allowLineBreaks && c is '\t' or '\r' or '\n'))
            {
                return $"contains the control character U+{(int)c:X4}";
            }
        }

        return null;
    }

    private static Task Problem(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title).ExecuteAsync(context);
}
