using GeoMine.Geo.Crs;

namespace GeoMine.Geo.Tests.Crs;

public sealed class GaussKrugerZoneTests
{
    // Zone numbers and EPSG codes as named in the EPSG registry (projinfo EPSG:4545 → "CGCS2000 /
    // 3-degree Gauss-Kruger CM 108E"; EPSG:4524 → "… zone 36"; EPSG:4497 → "CGCS2000 / Gauss-Kruger zone 19").
    [Theory]
    [InlineData(108.0, 36, 108.0, 4524, 4545)]
    [InlineData(106.4999, 35, 105.0, 4523, 4544)]
    [InlineData(106.5, 36, 108.0, 4524, 4545)]
    [InlineData(73.6, 25, 75.0, 4513, 4534)]
    [InlineData(134.9, 45, 135.0, 4533, 4554)]
    public void FromLongitude_ThreeDegree_GivesZoneCentralMeridianAndEpsg(double lon, int zone, double cm, int prefixedEpsg, int cmEpsg)
    {
        var z = GaussKrugerZone.FromLongitude(lon);

        Assert.Equal(zone, z.Number);
        Assert.Equal(cm, z.CentralMeridianDegrees);
        Assert.Equal(prefixedEpsg, z.PrefixedEpsg);
        Assert.Equal(cmEpsg, z.CentralMeridianEpsg);
    }

    [Theory]
    [InlineData(108.0, 19, 111.0, 4497, 4508)]
    [InlineData(105.9, 18, 105.0, 4496, 4507)]
    public void FromLongitude_SixDegree_GivesZoneCentralMeridianAndEpsg(double lon, int zone, double cm, int prefixedEpsg, int cmEpsg)
    {
        var z = GaussKrugerZone.FromLongitude(lon, ZoneWidth.SixDegree);

        Assert.Equal(zone, z.Number);
        Assert.Equal(cm, z.CentralMeridianDegrees);
        Assert.Equal(prefixedEpsg, z.PrefixedEpsg);
        Assert.Equal(cmEpsg, z.CentralMeridianEpsg);
    }

    [Theory]
    [InlineData(41_473_349.922, ZoneWidth.ThreeDegree, 41)]
    [InlineData(18_640_000.0, ZoneWidth.SixDegree, 18)]
    public void FromPrefixedEasting_ValidPrefix_GivesZone(double easting, ZoneWidth width, int zone)
    {
        Assert.Equal(new GaussKrugerZone(width, zone), GaussKrugerZone.FromPrefixedEasting(easting));
    }

    [Theory]
    [InlineData(473_349.922)]
    [InlineData(24_473_349.922)]
    [InlineData(46_100_000.0)]
    public void FromPrefixedEasting_NoOrUnknownPrefix_ReturnsNull(double easting)
    {
        Assert.Null(GaussKrugerZone.FromPrefixedEasting(easting));
    }

    [Fact]
    public void FromEpsg_EveryCode4491To4554_RoundTripsThroughEpsg()
    {
        for (var code = 4491; code <= 4554; code++)
        {
            var (zone, prefixed) = GaussKrugerZone.FromEpsg(code)!.Value;
            Assert.Equal(code, zone.Epsg(prefixed));
        }

        Assert.Null(GaussKrugerZone.FromEpsg(4490));
        Assert.Null(GaussKrugerZone.FromEpsg(4555));
    }

    [Fact]
    public void FromLongitude_OutsideChina_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussKrugerZone.FromLongitude(70.0));
    }
}
