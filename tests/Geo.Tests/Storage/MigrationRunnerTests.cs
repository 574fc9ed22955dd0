using GeoMine.Viewer.Storage;
using GeoMine.Geo.Storage;
using GeoMine.Patrol;
using GeoMine.TestSupport;

namespace GeoMine.Geo.Tests.Storage;

public sealed class MigrationRunnerTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    [Fact]
    public async Task Apply_FromEmpty_CreatesEveryReferenceTableWithGistIndexes()
    {
        // The fixture migrated an empty database; PostGIS's own catalog says what exists.
        var tables = await db.ScalarAsync<long>("""
            SELECT count(*) FROM geometry_columns
            WHERE f_table_schema = 'public' AND srid = 4490
              AND f_table_name IN ('jurisdiction','closed_mine','sealed_shaft','mining_right','tailings_pond','facility')
            """);
        var unindexed = await db.ScalarAsync<long>("""
            SELECT count(*) FROM geometry_columns g
            WHERE g.f_table_schema = 'public'
              AND g.f_table_name IN ('jurisdiction','closed_mine','sealed_shaft','mining_right','tailings_pond','facility')
              AND NOT EXISTS (
                SELECT 1 FROM pg_indexes i WHERE i.tablename = g.f_table_name
                  AND i.indexdef LIKE '%USING gist (' || g.f_geometry_column || ')%')
            """);

        Assert.Equal(9, tables); // tailings_pond has geom, dam_toe, flow_path and dam_crest
        Assert.Equal(0, unindexed);
    }

    [Fact]
    public async Task Apply_Twice_AppliesNothingTheSecondTime()
    {
        var applied = await MigrationRunner.ApplyAsync(db.ConnectionString, HostModule.AllMigrations);
        var recorded = await db.ScalarAsync<long>("SELECT count(*) FROM geomine_migration WHERE module = 'geo'");

        Assert.Empty(applied);
        Assert.Equal(MigrationSet.Geo.Scripts().Count, recorded);
    }

    [Fact]
    public async Task Assignment_OverlappingPeriodsForSameShaftAndRole_AreRefusedByTheDatabase()
    {
        await using var connection = await db.OpenAsync();
        await using var setup = new Npgsql.NpgsqlCommand("""
            INSERT INTO person (name) VALUES ('张三'), ('李四');
            INSERT INTO assignment (person_id, role, object_kind, object_id, valid_from, valid_to)
            SELECT id, 'responsible_person', 'sealed_shaft', 17, '2026-01-01Z', '2026-07-01Z' FROM person WHERE name = '张三';
            """, connection);
        await setup.ExecuteNonQueryAsync();

        await using var overlap = new Npgsql.NpgsqlCommand("""
            INSERT INTO assignment (person_id, role, object_kind, object_id, valid_from)
            SELECT id, 'responsible_person', 'sealed_shaft', 17, '2026-06-30Z' FROM person WHERE name = '李四'
            """, connection);
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => overlap.ExecuteNonQueryAsync());

        Assert.Equal("23P01", error.SqlState); // exclusion_violation
    }
}
