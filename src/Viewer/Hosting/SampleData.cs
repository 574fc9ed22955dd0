using GeoMine.Viewer.Hosting.Database;
using GeoMine.Geo.Storage;
using Npgsql;

namespace GeoMine.Viewer.Hosting;

/// <summary>The demo county shipped in <c>data/shapefiles</c>, imported by <c>up</c> on first run.</summary>
internal static class SampleData
{
    public static string Directory => Path.Combine(GeoMineHome.Root, "data", "shapefiles");

    /// <summary>True when nothing was ever imported into this database.</summary>
    public static async Task<bool> IsFirstRunAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT NOT EXISTS (SELECT 1 FROM import_log)", connection);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }
}
