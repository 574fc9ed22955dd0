using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GeoMine.Geo;

namespace GeoMine.Patrol.Notifications;

/// <summary>
/// Sends an <see cref="AlarmMessage"/> the way each channel's peer expects it:
/// <list type="bullet">
/// <item><c>wecom</c>: 企业微信 group robot, <c>POST {"msgtype":"markdown","markdown":{"content":…}}</c> to the robot's
/// <c>…/cgi-bin/webhook/send?key=…</c>; sent when the answer is 200 with <c>errcode</c> 0.</item>
/// <item><c>dingtalk</c>: 钉钉 group robot, <c>POST {"msgtype":"markdown","markdown":{"title":…,"text":…}}</c> to
/// <c>…/robot/send?access_token=…</c>, signed when a secret is set (<c>&amp;timestamp=</c> ms <c>&amp;sign=</c>
/// URL-encoded Base64 of HMAC-SHA256 over "timestamp\nsecret" keyed by the secret); sent when <c>errcode</c> is 0.</item>
/// <item><c>webhook</c>: the message as JSON with headers <c>X-GeoMine-Delivery</c> (the same on every retry: receivers
/// de-duplicate on it), <c>X-GeoMine-Timestamp</c> (Unix seconds) and, with a secret,
/// <c>X-GeoMine-Signature: sha256=</c> hex HMAC-SHA256 of "timestamp.body"; sent on any 2xx.</item>
/// <item><c>sms</c>: GeoMine's SMS gateway contract (a county's gateway, or a small adapter to a provider's templates):
/// <c>POST {"to": [mobile numbers], "text": …, "reference": delivery id}</c> with <c>Authorization: Bearer</c> the secret;
/// sent on any 2xx. The numbers are the channel's own and those of the persons the alarm names, by role.</item>
/// <item><c>email</c>: SMTP (MailKit; STARTTLS when the server offers it, <c>smtps://</c> for TLS from the start), plain
/// UTF-8 text, subject the headline and title, header <c>X-GeoMine-Delivery</c>; sent when the server accepts it.</item>
/// </list>
/// The outcome's detail names the HTTP status and what the peer said, never the address (a robot's key is in it).
/// </summary>
public sealed class ChannelSender(HttpClient http, TimeProvider clock)
{
    /// <summary>The channel kinds this sender knows.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["wecom", "dingtalk", "webhook", "sms", "email"];

    // Chinese as it is in the JSON peers receive (not \uXXXX escapes); made once.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The roles an SMS channel may address (<see cref="NotificationChannel.Recipients"/>).</summary>
    public static IReadOnlyList<string> RecipientRoles { get; } = ["responsible", "lead_leader", "escalated_to", "duty_officer"];

    /// <summary>Sends <paramref name="message"/> on <paramref name="channel"/> as delivery <paramref name="deliveryId"/>.</summary>
    public async Task<(bool Ok, string Detail)> SendAsync(NotificationChannel channel, AlarmMessage message, long deliveryId, CancellationToken ct)
    {
        try
        {
            return channel.Kind switch
            {
                "wecom" => await RobotAsync(channel.Url, new JsonObject
                {
                    ["msgtype"] = "markdown",
                    ["markdown"] = new JsonObject { ["content"] = Markdown(message) },
                }, ct),
                "dingtalk" => await RobotAsync(DingTalkUrl(channel), new JsonObject
                {
                    ["msgtype"] = "markdown",
                    ["markdown"] = new JsonObject { ["title"] = message.Headline, ["text"] = Markdown(message) },
                }, ct),
                "webhook" => await WebhookAsync(channel, message, deliveryId, ct),
                "sms" => await SmsAsync(channel, message, deliveryId, ct),
                "email" => await EmailAsync(channel, message, deliveryId, ct),
                _ => (false, $"unknown channel kind '{channel.Kind}'"),
            };
        }
        catch (Exception e) when (e is MailKit.CommandException or MailKit.ProtocolException or System.Net.Sockets.SocketException or IOException
                                      or MailKit.Security.AuthenticationException)
        {
            return (false, "not sent: " + e.Message);
        }
        catch (HttpRequestException e)
        {
            return (false, "not sent: " + (e.HttpRequestError == HttpRequestError.Unknown ? e.Message : e.HttpRequestError.ToString()));
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            return (false, "not sent: no answer within the HTTP client's timeout");
        }
    }

    /// <summary>The robots' markdown: a bold headline, one line each, the link as a link.</summary>
    private static string Markdown(AlarmMessage m) =>
        $"**{m.Headline}**\n" + string.Join("\n", m.Lines.Select(l => l.StartsWith("查看：", StringComparison.Ordinal) ? $"[查看告警]({m.Link})" : "> " + l));

    private async Task<(bool, string)> RobotAsync(string url, JsonObject body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(url, body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            return (false, $"HTTP {(int)response.StatusCode}: {Cut(text)}");
        }

        // The robots answer 200 with errcode ≠ 0 when they refuse (bad key, bad sign, rate limit).
        try
        {
            using var answer = JsonDocument.Parse(text);
            return answer.RootElement.TryGetProperty("errcode", out var code) && code.ValueKind == JsonValueKind.Number && code.GetInt32() == 0
                ? (true, $"HTTP 200: {Cut(text)}")
                : (false, $"HTTP 200, refused: {Cut(text)}");
        }
        catch (JsonException)
        {
            return (false, $"HTTP 200, not a robot's answer: {Cut(text)}");
        }
    }

    private string DingTalkUrl(NotificationChannel channel)
    {
        if (string.IsNullOrEmpty(channel.Secret))
        {
            return channel.Url;
        }

        var timestamp = clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var sign = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(channel.Secret), Encoding.UTF8.GetBytes($"{timestamp}\n{channel.Secret}")));
        return $"{channel.Url}{(channel.Url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}timestamp={timestamp}&sign={Uri.EscapeDataString(sign)}";
    }

    private async Task<(bool, string)> WebhookAsync(NotificationChannel channel, AlarmMessage m, long deliveryId, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new
        {
            delivery = deliveryId,
            @event = m.Event,
            alarm = new
            {
                id = m.AlarmId, kind = m.Kind, kind_label = m.KindLabel, severity = m.Severity, title = m.Title, town = m.Town,
                lon = m.Longitude, lat = m.Latitude, srid = Srid.Cgcs2000, started_at = ChinaTime.Iso(m.StartedAtUtc),
                responsible = m.Responsible, lead_leader = m.LeadLeader, escalated_to = m.EscalatedTo, duty_officer = m.DutyOfficer, link = m.Link,
            },
            text = m.Text,
        }, Readable);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, channel.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GeoMine-Delivery", deliveryId.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-GeoMine-Event", m.Event);
        request.Headers.Add("X-GeoMine-Timestamp", timestamp);
        if (!string.IsNullOrEmpty(channel.Secret))
        {
            var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(channel.Secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
            request.Headers.Add("X-GeoMine-Signature", "sha256=" + Convert.ToHexStringLower(signature));
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return (response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}: {Cut(text)}");
    }

    private async Task<(bool, string)> SmsAsync(NotificationChannel channel, AlarmMessage m, long deliveryId, CancellationToken ct)
    {
        var to = channel.To.Concat(channel.Recipients.Select(role => m.Phones.GetValueOrDefault(role)).OfType<string>())
            .Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (to.Count == 0)
        {
            return (false, "no mobile number: the channel has none and the persons it addresses have none on record");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, channel.Url)
        {
            Content = JsonContent.Create(new { to, text = m.Text, reference = deliveryId.ToString(CultureInfo.InvariantCulture) },
                options: Readable),
        };
        if (!string.IsNullOrEmpty(channel.Secret))
        {
            request.Headers.Authorization = new("Bearer", channel.Secret);
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return (response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode} for {to.Count} numbers: {Cut(text)}");
    }

    private static async Task<(bool, string)> EmailAsync(NotificationChannel channel, AlarmMessage m, long deliveryId, CancellationToken ct)
    {
        var mail = new MimeKit.MimeMessage { Subject = $"{m.Headline} {m.Title}", Body = new MimeKit.TextPart("plain") { Text = m.Text } };
        mail.From.Add(MimeKit.MailboxAddress.Parse(channel.From ?? throw new InvalidOperationException($"channel {channel.Name}: From is required")));
        foreach (var address in channel.To)
        {
            mail.To.Add(MimeKit.MailboxAddress.Parse(address));
        }

        mail.Headers.Add("X-GeoMine-Delivery", deliveryId.ToString(CultureInfo.InvariantCulture));
        var server = new Uri(channel.Url);
        using var smtp = new MailKit.Net.Smtp.SmtpClient();
        await smtp.ConnectAsync(server.Host, server.Port, server.Scheme == "smtps"
            ? MailKit.Security.SecureSocketOptions.SslOnConnect : MailKit.Security.SecureSocketOptions.StartTlsWhenAvailable, ct);
        if (!string.IsNullOrEmpty(channel.User))
        {
            await smtp.AuthenticateAsync(channel.User, channel.Secret ?? "", ct);
        }

        var answer = await smtp.SendAsync(mail, ct);
        await smtp.DisconnectAsync(true, ct);
        return (true, $"SMTP accepted for {channel.To.Count} recipients: {Cut(answer)}");
    }

    private static string Cut(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
