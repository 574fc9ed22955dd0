using System.Collections.Concurrent;
using NetTopologySuite.Geometries;
using Npgsql;

namespace GeoMine.Geo.Storage;

/// <summary>
/// Npgsql data sources that map PostGIS geometry to NetTopologySuite (Npgsql.NetTopologySuite: geometry parameters and
/// columns travel as <see cref="Geometry"/>, SRID and Z kept). Every data source GeoMine opens comes from here.
/// </summary>
public static class GeoDataSource
{
    private static readonly ConcurrentDictionary<string, NpgsqlDataSource> Shared = new(StringComparer.Ordinal);

    /// <summary>A new data source on <paramref name="connectionString"/> (the caller disposes it).</summary>
    public static NpgsqlDataSource Create(string connectionString) => Configure(new NpgsqlDataSourceBuilder(connectionString)).Build();

    /// <summary>The geometry mapping added to <paramref name="builder"/>.</summary>
    public static NpgsqlDataSourceBuilder Configure(NpgsqlDataSourceBuilder builder)
    {
        builder.UseNetTopologySuite(handleOrdinates: Ordinates.XYZ);
        // GeoMine's sessions are named, so that the detection's watermark waits for GeoMine's transactions in progress (which
        // may write positions) and not for a backup's or a report's (pg_stat_activity.application_name).
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            builder.ConnectionStringBuilder.ApplicationName = ApplicationName;
        }

        return builder;
    }

    /// <summary>The application name GeoMine's sessions carry (unless the connection string names another).</summary>
    public const string ApplicationName = "geomine";

    /// <summary>One shared data source per connection string, for code that is given a connection string (importers,
    /// writers): its pool lives as long as the process.</summary>
    public static NpgsqlDataSource For(string connectionString) => Shared.GetOrAdd(connectionString, Create);
}
