using System.Text.Json.Nodes;
using GeoMine.Geo;
using GeoMine.Geo.Import;
using GeoMine.Patrol.Obligations;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Coverage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Viewer.Shafts;

/// <summary>
/// <c>GET /api/shafts/{code}</c>: one sealed shaft as the map page shows it when clicked — its patrol status now (the
/// overdue job's rating), last visit and next due (China time), and who answers for it now: every current assignment
/// on the shaft, and the lead leader of its mine when the shaft has none of its own. 404 for an unknown code.
/// </summary>
internal static class ShaftsApi
{
    private const string Shaft = """
        SELECT s.id, s.code, s.name, s.status, m.code, m.name, t.name,
               (SELECT v.arrived_at FROM patrol_visit v WHERE v.shaft_id = s.id AND v.arrived_at <= @now ORDER BY v.arrived_at DESC LIMIT 1),
               (SELECT r.valid_from FROM assignment r WHERE r.object_kind = 'sealed_shaft' AND r.object_id = s.id
                  AND r.role = 'responsible_person' AND r.valid_from <= @now AND (r.valid_to IS NULL OR r.valid_to > @now)),
               m.closure_status, m.risk_class
        FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id LEFT JOIN jurisdiction t ON t.id = m.town_id
        WHERE s.code = @code
        """;

    private const string Responsible = """
        SELECT a.role, a.object_kind, p.name, p.phone, a.valid_from
        FROM assignment a JOIN person p ON p.id = a.person_id
        WHERE a.valid_from <= @now AND (a.valid_to IS NULL OR a.valid_to > @now)
          AND ((a.object_kind = 'sealed_shaft' AND a.object_id = @shaft)
               OR (a.object_kind = 'closed_mine' AND a.object_id = (SELECT mine_id FROM sealed_shaft WHERE id = @shaft) AND a.role = 'lead_leader'
                   AND NOT EXISTS (SELECT 1 FROM assignment b WHERE b.object_kind = 'sealed_shaft' AND b.object_id = @shaft
                                   AND b.role = 'lead_leader' AND b.valid_from <= @now AND (b.valid_to IS NULL OR b.valid_to > @now))))
        ORDER BY a.role = 'responsible_person' DESC, a.role, p.name
        """;

    public static IEndpointRouteBuilder MapShaftsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/shafts/{code}", GetAsync);
        return routes;
    }

    private static async Task<IResult> GetAsync(
        HttpContext context, string code, NpgsqlDataSource db, IOptions<PatrolObligationOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (await AccessSetup.ScopeAsync(context) is { IsEverything: false } scope && !await scope.HoldsAsync(db, LayerKind.Shafts, code, ct))
        {
            return TypedResults.Problem($"no sealed shaft with code {code}", statusCode: StatusCodes.Status404NotFound, title: "unknown shaft");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        JsonObject shaft;
        long id;
        await using (var command = db.CreateCommand(Shaft))
        {
            command.Parameters.AddWithValue("code", code);
            command.Parameters.AddWithValue("now", now);
            await using var r = await command.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return TypedResults.Problem($"no sealed shaft with code {code}", statusCode: StatusCodes.Status404NotFound, title: "unknown shaft");
            }

            id = r.GetInt64(0);
            DateTime? lastVisit = r.IsDBNull(7) ? null : r.GetDateTime(7);
            DateTime? responsibleFrom = r.IsDBNull(8) ? null : r.GetDateTime(8);
            var interval = options.Value.IntervalOf(code, r.GetString(9), r.IsDBNull(10) ? null : r.GetString(10));
            var rating = ShaftPatrolRating.Of(interval, lastVisit, responsibleFrom, now, options.Value);
            shaft = new JsonObject
            {
                ["code"] = r.GetString(1),
                ["name"] = r.IsDBNull(2) ? null : r.GetString(2),
                ["status"] = r.GetString(3),
                ["mine"] = r.GetString(4),
                ["mine_name"] = r.GetString(5),
                ["town"] = r.IsDBNull(6) ? null : r.GetString(6),
                ["patrol_status"] = CoverageJson.Status(rating.Status),
                ["unassigned"] = responsibleFrom is null,
                ["last_visit"] = lastVisit is { } v ? ChinaTime.Iso(v) : null,
                ["next_due"] = rating.DueAt is { } d ? ChinaTime.Iso(d) : null,
                ["as_of"] = ChinaTime.Iso(now),
            };
        }

        var people = new JsonArray();
        await using (var command = db.CreateCommand(Responsible))
        {
            command.Parameters.AddWithValue("shaft", id);
            command.Parameters.AddWithValue("now", now);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                people.Add(new JsonObject
                {
                    ["role"] = r.GetString(0),
                    ["on"] = r.GetString(1),
                    ["name"] = r.GetString(2),
                    ["phone"] = r.IsDBNull(3) ? null : r.GetString(3),
                    ["since"] = ChinaTime.Iso(r.GetDateTime(4)),
                });
            }
        }

        shaft["responsible"] = people;
        return TypedResults.Json(shaft);
    }
}
