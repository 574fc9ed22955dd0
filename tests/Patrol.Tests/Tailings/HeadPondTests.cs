using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Tailings;
using GeoMine.TestSupport;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Tests.Tailings;

/// <summary>
/// 头顶库 by the 2020 definition: measured along the downstream flow path from the starter-dam toe, not as a circle.
/// The worked examples are built in CGCS2000 / 3° Gauss-Krüger CM 105°E (EPSG:4544, metres), where the path's
/// lengths are exact by construction, and stored in EPSG:4490 through PostGIS — the expected distances come from
/// the construction, not from GeoMine. The sample county's values come from its generator (its own local projection).
/// </summary>
public sealed class HeadPondTests : IClassFixture<PostgisFixture>
{
    // Toe of the worked examples: easting 480 000 m, northing 3 240 000 m in EPSG:4544 (≈ 104.79°E, 29.28°N).
    private const double E0 = 480_000, N0 = 3_240_000;

    private readonly PostgisFixture _db;

    public HeadPondTests(PostgisFixture db) => _db = db;

    private TailingsWatchService Watch => new(GeoMine.Geo.Storage.GeoDataSource.Create(_db.ConnectionString), new AlarmStore(GeoMine.Geo.Storage.GeoDataSource.Create(_db.ConnectionString)),
        Options.Create(new TailingsOptions()));

    // Each test's pond stands on its own origin (easting offset, m), 5 km from the others' facilities.
    private async Task AddPondAsync(string code, double origin, (double E, double N)[]? path)
    {
        string Gk((double E, double N) p) => FormattableString.Invariant($"{E0 + origin + p.E} {N0 + p.N}");
        var pond = $"POLYGON(({Gk((-100, -50))}, {Gk((0, -50))}, {Gk((0, 50))}, {Gk((-100, 50))}, {Gk((-100, -50))}))";
        await using var connection = await _db.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO tailings_pond (code, name, operator, status, total_storage_10k_m3, dam_height_m, geom, dam_toe, flow_path)
            VALUES (@code, @code, '测试矿业', 'in_use', 50, 20,
                    ST_Multi(ST_Transform(ST_GeomFromText(@pond, 4544), 4490)),
                    ST_Transform(ST_GeomFromText(@toe, 4544), 4490),
                    ST_Transform(ST_GeomFromText(@path, 4544), 4490))
            """, connection);
        command.Parameters.AddWithValue("code", code);
        command.Parameters.AddWithValue("pond", pond);
        command.Parameters.AddWithValue("toe", $"POINT({Gk((0, 0))})");
        command.Parameters.Add(new NpgsqlParameter("path", NpgsqlTypes.NpgsqlDbType.Text)
        {
            Value = path is null ? DBNull.Value : $"LINESTRING({string.Join(", ", path.Select(Gk))})",
        });
        await command.ExecuteNonQueryAsync();
    }

    private async Task AddFacilityAsync(string code, string kind, double origin, (double E, double N) at)
    {
        await using var connection = await _db.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO facility (code, name, kind, population, geom)
            VALUES (@code, @code, @kind, 120, ST_Transform(ST_SetSRID(ST_MakePoint(@e, @n), 4544), 4490))
            """, connection);
        command.Parameters.AddWithValue("code", code);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("e", E0 + origin + at.E);
        command.Parameters.AddWithValue("n", N0 + at.N);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<HeadPondAssessment> AssessAsync(string code) =>
        (await Watch.ReviewAsync(DateTime.UtcNow, code: code)).Single().Facts.Head;

    [Fact]
    public async Task Village900MetresAlongABendingPath_IsHeadPond()
    {
        // 400 m east, then a right-angle bend and 1 km north. The village stands 50 m west of the path 500 m after
        // the bend: 900 m along the path, 610 m from the toe in a straight line.
        await AddPondAsync("T-BEND", 0, [(0, 0), (400, 0), (400, 1000)]);
        await AddFacilityAsync("V-BEND", "residential", 0, (350, 500));
        await AddFacilityAsync("V-BEND-FAR", "residential", 0, (420, 1100)); // 1.1 km along: outside the reach

        var head = await AssessAsync("T-BEND");

        Assert.Equal("yes", head.Status);
        var village = Assert.Single(head.Facilities);
        Assert.Equal("V-BEND", village.Code);
        Assert.Equal(900, village.AlongM, 0.5);
        Assert.Equal(50, village.OffM, 0.5);
        Assert.Equal(Math.Sqrt((350 * 350) + (500 * 500)), village.StraightM, 0.5);
    }

    [Fact]
    public async Task Village600MetresFromTheToeButOneAndAHalfKilometresAlong_IsNotHeadPond()
    {
        // A hairpin valley: 600 m east, 500 m north, then back west. The village is 60 m north of the west-bound
        // leg, 1,500 m along the path, but only 595 m from the toe: a 1 km circle would wrongly call it 头顶库.
        await AddPondAsync("T-HAIRPIN", 5000, [(0, 0), (600, 0), (600, 500), (-400, 500)]);
        await AddFacilityAsync("V-HAIRPIN", "residential", 5000, (200, 560));
        var straight = await _db.ScalarAsync<double>(
            "SELECT ST_Distance(ST_Transform(f.geom, 4544), ST_Transform(p.dam_toe, 4544)) FROM facility f, tailings_pond p WHERE f.code = 'V-HAIRPIN' AND p.code = 'T-HAIRPIN'");
        Assert.InRange(straight, 590, 600);

        var head = await AssessAsync("T-HAIRPIN");

        Assert.Equal("no", head.Status);
        Assert.Empty(head.Facilities);
    }

    [Fact]
    public async Task PondWithoutFlowPath_IsUnknownNotNo()
    {
        await AddPondAsync("T-NOPATH", 10000, null);
        await AddFacilityAsync("V-NOPATH", "school", 10000, (50, 0)); // right below the dam, but nobody drew the path

        Assert.Equal("unknown", (await AssessAsync("T-NOPATH")).Status);
    }
}
