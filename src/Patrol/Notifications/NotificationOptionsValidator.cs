using GeoMine.Patrol.Alarms;
using Microsoft.Extensions.Options;

namespace GeoMine.Patrol.Notifications;

/// <summary>Checks <c>Notifications</c> at start: each problem names the channel and the setting (never its address or
/// secret), so a misconfigured channel stops the node instead of silently dropping alarms.</summary>
public sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    private static readonly string[] Severities = ["blue", "yellow", "orange", "red"];
    private static readonly string[] EventNames = ["raised", "severity_raised", "ack_escalated"];

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var problems = new List<string>();
        if (options.PublicUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            problems.Add($"Notifications:PublicUrl '{url}' is not an absolute address");
        }

        if (options.MaxAttempts < 1)
        {
            problems.Add("Notifications:MaxAttempts must be at least 1");
        }

        if (options.QuietFrom.HasValue != options.QuietTo.HasValue)
        {
            problems.Add("Notifications:QuietFrom and QuietTo go together (China time, e.g. 22:00 and 07:00)");
        }

        for (var i = 0; i < options.Channels.Count; i++)
        {
            var c = options.Channels[i];
            var at = $"Notifications:Channels:{i}" + (c.Name is { Length: > 0 } ? $" ({c.Name})" : "");
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                problems.Add($"{at}: Name is required");
            }
            else if (options.Channels.Count(o => o.Name == c.Name) > 1)
            {
                problems.Add($"{at}: Name is used by another channel");
            }

            if (!ChannelSender.Kinds.Contains(c.Kind))
            {
                problems.Add($"{at}: Kind '{c.Kind}' is not one of {string.Join(", ", ChannelSender.Kinds)}");
            }

            if (c.Kind == "email")
            {
                if (!Uri.TryCreate(c.Url, UriKind.Absolute, out var smtp) || smtp.Scheme is not ("smtp" or "smtps") || smtp.Port <= 0)
                {
                    problems.Add($"{at}: Url must be the SMTP server as smtp://host:port or smtps://host:port");
                }

                if (!MimeKit.MailboxAddress.TryParse(c.From ?? "", out _))
                {
                    problems.Add($"{at}: From must be an e-mail address");
                }

                if (c.To.Count == 0 || c.To.Any(t => !MimeKit.MailboxAddress.TryParse(t, out _)))
                {
                    problems.Add($"{at}: To must list e-mail addresses");
                }
            }
            else if (!Uri.TryCreate(c.Url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                problems.Add($"{at}: Url must be an absolute http(s) address");
            }

            if (c.Kind == "sms" && c.To.Count == 0 && c.Recipients.Count == 0)
            {
                problems.Add($"{at}: an SMS channel needs To (mobile numbers) or Recipients (roles)");
            }

            problems.AddRange(c.Recipients.Where(r => !ChannelSender.RecipientRoles.Contains(r))
                .Select(r => $"{at}: Recipients '{r}' is not one of {string.Join(", ", ChannelSender.RecipientRoles)}"));

            if (!Severities.Contains(c.MinSeverity))
            {
                problems.Add($"{at}: MinSeverity '{c.MinSeverity}' is not one of {string.Join(", ", Severities)}");
            }

            problems.AddRange(c.AlarmKinds.Where(k => AlarmKinds.Find(k) is null)
                .Select(k => $"{at}: AlarmKinds '{k}' is not an alarm kind ({string.Join(", ", AlarmKinds.All.Select(a => a.Code))})"));
            problems.AddRange(c.Events.Where(e => !EventNames.Contains(e))
                .Select(e => $"{at}: Events '{e}' is not one of {string.Join(", ", EventNames)}"));
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
