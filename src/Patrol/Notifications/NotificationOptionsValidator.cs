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

            if (!Uri.TryCreate(c.Url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                problems.Add($"{at}: Url must be an absolute http(s) address");
            }

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
