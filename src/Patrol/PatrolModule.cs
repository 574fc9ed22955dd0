using GeoMine.Geo.Storage;

namespace GeoMine.Patrol;

/// <summary>Patrol's place in the schema: its migrations run after Geo's.</summary>
public static class PatrolModule
{
    /// <summary>Patrol's embedded migrations (devices, positions, visits, alarms…).</summary>
    public static MigrationSet Migrations { get; } = new("patrol", typeof(PatrolModule).Assembly);

    /// <summary>Every module's migrations in dependency order.</summary>
    public static IReadOnlyList<MigrationSet> AllMigrations { get; } = [MigrationSet.Geo, Migrations];
}
