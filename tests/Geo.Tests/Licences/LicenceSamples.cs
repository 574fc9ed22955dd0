namespace GeoMine.Geo.Tests.Licences;

/// <summary>
/// Licence texts in the layouts the bureau sends, with the expected corners in EPSG:4490 made by
/// PROJ's cs2cs from the written X Y, not by GeoMine:
/// <c>echo "$X $Y" | cs2cs -f %.10f EPSG:4529 EPSG:4490</c> (numbered sample, zone 41) and
/// <c>… EPSG:4523 EPSG:4490</c> (table sample, zone 35); cs2cs prints lat lon, listed here as lon lat.
/// Stated areas are the shoelace areas of the written X Y (Gauss-Kruger plane).
/// </summary>
internal static class LicenceSamples
{
    /// <summary>Numbered lines, zone-prefixed eastings (zone 41), two blocks, the second with an excluded hole.</summary>
    public const string Numbered = """
        采矿许可证号：C2100002009071120031234
        采矿权人：辽宁远东矿业有限公司
        矿山名称：远东煤矿
        开采矿种：煤
        有效期限：2019年7月1日至2029年6月30日
        坐标系统：2000国家大地坐标系
        1,4508414.6919,41526195.908
        2,4508642.9457,41527885.135
        3,4507311.9627,41528312.720
        4,4506198.3056,41527471.670
        5,4506748.3714,41526032.742
        *,363,10,远东采区,1,
        1,4507316.9045,41529580.456
        2,4507323.8303,41531270.771
        3,4508989.5594,41531263.755
        4,4508982.6331,41529573.819
        *,250,-120,西采区,1,
        1,4507873.8423,41530000.791
        2,4507875.5618,41530423.338
        3,4508430.8047,41530421.063
        4,4508429.0852,41529998.547
        *,250,-120,西采区,-1,
        """;

    /// <summary>Expected polygons of <see cref="Numbered"/> (cs2cs, see above), lon lat degrees.</summary>
    public const string NumberedFarEastWkt =
        "POLYGON ((123.3099999958 40.7099999997, 123.3299999958 40.7120000003, 123.3350000051 40.6999999997, 123.3250000051 40.6900000004, 123.3080000037 40.6950000003, 123.3099999958 40.7099999997))";

    public const string NumberedWestWkt =
        "POLYGON ((123.3500000044 40.6999999997, 123.3700000018 40.7000000002, 123.3699999979 40.7149999998, 123.3499999976 40.7149999998, 123.3500000044 40.6999999997), " +
        "(123.3550000016 40.7049999998, 123.3599999994 40.7050000002, 123.3600000035 40.7099999997, 123.3549999986 40.7099999997, 123.3550000016 40.7049999998))";

    /// <summary>Table with header and elevation sentence, zone-prefixed eastings (zone 35), first point repeated.</summary>
    public const string Table = """
        重庆市某煤矿矿区范围拐点坐标（2000国家大地坐标系，1985国家高程基准）
        点号	X	Y
        J1	3299885.65	35636311.08
        J2	3300125.22	35637758.60
        J3	3298798.41	35638065.14
        J4	3297680.19	35637305.24
        J5	3298216.75	35635847.93
        J6	3299102.50	35635740.42
        J1	3299885.65	35636311.08
        开采标高自+77米至+3.94米，矿区面积4.0260平方公里。
        """;

    /// <summary>Expected polygon of <see cref="Table"/> and of <see cref="TableWithoutPrefix"/> (cs2cs), lon lat degrees.</summary>
    public const string TableWkt =
        "POLYGON ((106.4100000491 29.8100000227, 106.4249999742 29.8119999887, 106.4280000384 29.7999999862, 106.4200000295 29.7899999877, 106.4050000483 29.7949999909, 106.4039999626 29.8029999903, 106.4100000491 29.8100000227))";

    /// <summary>The same table with 6-digit eastings (no zone prefix; CM 105°E) and depth wording, not closed.</summary>
    public const string TableWithoutPrefix = """
        2000国家大地坐标系
        点号 X Y
        1 3299885.65 636311.08
        2 3300125.22 637758.60
        3 3298798.41 638065.14
        4 3297680.19 637305.24
        5 3298216.75 635847.93
        6 3299102.50 635740.42
        开采深度 由 363 米至 10 米标高
        """;
}
