using System.Globalization;
using GeoMine.Geo;
using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Monitoring;

namespace GeoMine.Patrol.Notifications;

/// <summary>
/// What a notice tells people: what (kind, severity, title), where (town, place in EPSG:4490 degrees), since when (China
/// time), who answers for it (the object's responsible person and the town's lead leader, with phones), and a link that
/// opens the alarm after sign-in.
/// </summary>
/// <param name="NoticeId">The notice (with the channel, what a receiver de-duplicates on).</param>
/// <param name="Event">raised, severity_raised or ack_escalated.</param>
/// <param name="AlarmId">The alarm.</param>
/// <param name="Kind">Alarm kind code.</param>
/// <param name="Severity">blue, yellow, orange or red (at the event).</param>
/// <param name="Title">The alarm's title.</param>
/// <param name="Town">Town name, or null.</param>
/// <param name="Longitude">A point on the alarm's object (or its latest evidence position), EPSG:4490 degrees.</param>
/// <param name="Latitude">Its latitude.</param>
/// <param name="StartedAtUtc">First evidence.</param>
/// <param name="Responsible">The object's responsible person (name and phone), or null when nobody holds the role.</param>
/// <param name="LeadLeader">The town's lead leader (name and phone), or null.</param>
/// <param name="EscalatedTo">For ack_escalated: the leader it went to.</param>
/// <param name="Link">Opens the alarm on the map page, or null without Notifications:PublicUrl.</param>
public sealed record AlarmMessage(
    long NoticeId, string Event, long AlarmId, string Kind, string Severity, string Title, string? Town, double? Longitude, double? Latitude,
    DateTime StartedAtUtc, string? Responsible, string? LeadLeader, string? EscalatedTo, string? Link)
{
    /// <summary>The mobile numbers on record of the persons the message names, by role (responsible, lead_leader,
    /// escalated_to, duty_officer): whom an SMS channel with those recipients also reaches.</summary>
    public IReadOnlyDictionary<string, string> Phones { get; init; } = new Dictionary<string, string>();

    /// <summary>The officer on duty (值班) for the alarm's town — or the jurisdiction above — when the notice is sent
    /// (name and phone), or null when the roster has nobody then.</summary>
    public string? DutyOfficer { get; init; }

    /// <summary>The kind as officials read it (死灰复燃…), the code when the catalog does not know it.</summary>
    public string KindLabel => AlarmKinds.Find(Kind)?.Chinese ?? Kind;

    /// <summary>红色, 橙色…</summary>
    public string SeverityLabel => WarningLevels.Parse(Severity).Chinese();

    /// <summary>The headline: 【红色告警】死灰复燃 (升级 / 未接报上报).</summary>
    public string Headline => $"【{SeverityLabel}告警】{KindLabel}" + Event switch
    {
        "severity_raised" => "（级别升高）",
        "ack_escalated" => "（超时未接报，已上报）",
        _ => "",
    };

    /// <summary>The lines under the headline, the same in every channel.</summary>
    public IReadOnlyList<string> Lines =>
    [
        Title,
        "地点：" + (Town ?? "未定镇街") + (Longitude is { } lon && Latitude is { } lat
            ? string.Create(CultureInfo.InvariantCulture, $"，{lon:0.000000}, {lat:0.000000}（CGCS2000 经纬度）") : ""),
        "开始：" + ChinaTime.Iso(StartedAtUtc)[..16].Replace('T', ' ') + "（北京时间）",
        "责任人：" + (Responsible ?? "无（未落实）"),
        "包保领导：" + (LeadLeader ?? "无"),
        "值班：" + (DutyOfficer ?? "无排班"),
        .. EscalatedTo is { } to ? new[] { "已上报：" + to } : [],
        .. Link is { } link ? new[] { "查看：" + link } : [],
    ];

    /// <summary>Plain text: headline and lines.</summary>
    public string Text => string.Join("\n", Lines.Prepend(Headline));
}
