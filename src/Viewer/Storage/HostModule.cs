using GeoMine.Geo.Storage;
using GeoMine.Patrol;

namespace GeoMine.Viewer.Storage;

/// <summary>The web app's own tables (module <c>host</c>, <c>src/Viewer/Storage/Migrations</c>): sign-in keys now, and every
/// later change to the user tables.</summary>
public static class HostModule
{
    /// <summary>The host's migrations.</summary>
    public static MigrationSet Migrations { get; } = new("host", typeof(HostModule).Assembly);

    /// <summary>Every migration of the product, in the order they apply: geo, patrol, host.</summary>
    public static IReadOnlyList<MigrationSet> AllMigrations { get; } = [.. PatrolModule.AllMigrations, Migrations];
}
