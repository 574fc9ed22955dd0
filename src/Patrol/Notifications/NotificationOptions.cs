namespace GeoMine.Patrol.Notifications;

/// <summary>
/// Who hears of alarms, and how (configuration section <c>Notifications</c>). Each channel takes the alarms that pass its
/// filters; a channel's address and secret are configuration and never appear in a log, an attempt row or an answer.
/// </summary>
public sealed class NotificationOptions
{
    /// <summary>The address people open GeoMine at (a message links to the alarm there, after sign-in); without it messages
    /// carry no link.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The channels.</summary>
    public List<NotificationChannel> Channels { get; set; } = [];

    /// <summary>Attempts per delivery before it is given up (and shown as failed with the alarm). Default 10.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Wait after the first failed attempt; doubles after each further one, up to <see cref="MaxRetryDelay"/>.
    /// Default 30 s.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between attempts. Default 30 min.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long one send may take before it counts as failed. Default 10 s.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Notices older than this when first routed are not sent (an alarm of last month is not news when a channel is
    /// first configured). Default 24 h.</summary>
    public TimeSpan MaxNoticeAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often a node looks for due deliveries besides being woken by a new notice. Default 5 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Start of the quiet hours, China time (e.g. <c>22:00</c>); with <see cref="QuietTo"/>. Channels that keep
    /// quiet hours hold back all but red alarms until they end. Null: no quiet hours.</summary>
    public TimeOnly? QuietFrom { get; set; }

    /// <summary>End of the quiet hours, China time (e.g. <c>07:00</c>).</summary>
    public TimeOnly? QuietTo { get; set; }
}

/// <summary>One place alarms are sent to.</summary>
public sealed class NotificationChannel
{
    /// <summary>Its name (in attempts and on the alarm), e.g. <c>county-duty-wecom</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>wecom</c> (企业微信 group robot), <c>dingtalk</c> (钉钉 group robot), <c>webhook</c> (JSON, signed with
    /// HMAC-SHA256 for other systems), <c>sms</c> (an HTTP SMS gateway) or <c>email</c> (SMTP).</summary>
    public string Kind { get; set; } = "";

    /// <summary>The robot's, system's or SMS gateway's address (a robot's key is part of it: a secret); for e-mail the
    /// SMTP server as <c>smtp://host:port</c> (STARTTLS when offered) or <c>smtps://host:465</c>.</summary>
    public string Url { get; set; } = "";

    /// <summary>DingTalk: the robot's signing secret (SEC…); webhook: the HMAC key; SMS gateway: its bearer token; e-mail:
    /// the SMTP password (with <see cref="User"/>). Optional.</summary>
    public string? Secret { get; set; }

    /// <summary>E-mail: the SMTP user name, when the server wants one.</summary>
    public string? User { get; set; }

    /// <summary>E-mail: the sender address.</summary>
    public string? From { get; set; }

    /// <summary>Fixed recipients: e-mail addresses for <c>email</c>, mobile numbers for <c>sms</c> (e.g. the duty phone).</summary>
    public List<string> To { get; set; } = [];

    /// <summary>SMS: the persons an alarm names who are sent it too, by role — <c>responsible</c> (the object's responsible
    /// person, a pond's government leader, a phone's owner), <c>lead_leader</c> (the town's), <c>escalated_to</c> (the
    /// leader an unacknowledged alarm went to), <c>duty_officer</c> (who is on duty then for the town, else the county, by
    /// the roster: <c>geomine duty</c>) — each at the phone on record, when there is one.</summary>
    public List<string> Recipients { get; set; } = [];

    /// <summary>Lowest severity sent: blue, yellow, orange or red. Default blue (all).</summary>
    public string MinSeverity { get; set; } = "blue";

    /// <summary>Alarm kinds sent (codes of the alarm-kind catalog); empty: every kind.</summary>
    public List<string> AlarmKinds { get; set; } = [];

    /// <summary>Towns (jurisdiction codes) whose alarms are sent; empty: every town, and alarms without one.</summary>
    public List<string> Towns { get; set; } = [];

    /// <summary>Events sent: raised, severity_raised, ack_escalated; empty: all three.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>Whether the channel keeps the quiet hours (red always goes at once). Default true.</summary>
    public bool KeepQuietHours { get; set; } = true;
}
