namespace GeoMine.Patrol.Positions;

/// <summary>TEMPORARY until the Geo core's GCJ-02 transform is merged.</summary>
internal static class Gcj02Correction
{
    public static (double Lon, double Lat) ToWgs84(double lon, double lat) =>
        throw new NotSupportedException("GCJ-02 correction arrives with the Geo core");
}
