using GeoMine.Geo.Licences;

namespace GeoMine.Geo.Tests.Licences;

public sealed class LicenceValidationTests
{
    private const string Header = "2000国家大地坐标系\n";

    private static LicenceProblem SingleProblem(string text, LicenceParseOptions? options = null)
    {
        var e = Assert.Throws<LicenceException>(() => LicenceParser.Parse(text, options));
        return Assert.Single(e.Problems);
    }

    [Fact]
    public void Parse_FewerThanThreePoints_RefusedAtTheRingEndLine()
    {
        var problem = SingleProblem(Header + "1,3299885.65,35636311.08\n2,3300125.22,35637758.60\n*,77,3.94,一采区,1,\n");

        Assert.Equal(4, problem.LineNumber);
        Assert.Contains("at least 3", problem.Message);
    }

    [Fact]
    public void Parse_SelfIntersectingRing_NamesBothEdgesAndTheirLines()
    {
        // J2 and J3 swapped: a bow tie.
        var problem = SingleProblem(Header + """
            J1 3299885.65 35636311.08
            J2 3298798.41 35638065.14
            J3 3300125.22 35637758.60
            J4 3297680.19 35637305.24
            开采标高自+77米至+3.94米
            """);

        Assert.Contains("intersects itself", problem.Message);
        Assert.Contains("J1-J2 (lines 2-3)", problem.Message);
        Assert.Contains("J3-J4 (lines 4-5)", problem.Message);
    }

    [Fact]
    public void Parse_DuplicateConsecutivePoint_RefusedAtTheRepeat()
    {
        var problem = SingleProblem(Header + """
            J1 3299885.65 35636311.08
            J2 3300125.22 35637758.60
            J3 3300125.22 35637758.60
            J4 3298798.41 35638065.14
            开采标高自+77米至+3.94米
            """);

        Assert.Equal(4, problem.LineNumber);
        Assert.Contains("repeats point J2 (line 3)", problem.Message);
    }

    [Fact]
    public void Parse_PointOutsideTheZone_RefusedWithItsLongitude()
    {
        // Y 35 936 311 m: about 4.6° east of CM 105°E, outside zone 35.
        var problem = SingleProblem(Header + """
            J1 3299885.65 35636311.08
            J2 3300125.22 35937758.60
            J3 3298798.41 35638065.14
            开采标高自+77米至+3.94米
            """);

        Assert.Equal(3, problem.LineNumber);
        Assert.Contains("outside CGCS2000 3-degree Gauss-Kruger zone 35", problem.Message);
    }

    [Fact]
    public void Parse_StatedAreaOffByMoreThanHalfAPercent_Refused()
    {
        var problem = SingleProblem(LicenceSamples.Table.Replace("4.0260平方公里", "4.0600平方公里"));

        Assert.Equal(10, problem.LineNumber);
        Assert.Contains("4.06 km²", problem.Message);
        Assert.Contains("4.026 km²", problem.Message);
    }

    [Fact]
    public void Parse_NoElevation_RefusedAndSaysWhatIsExpected()
    {
        var problem = SingleProblem(Header + "J1 3299885.65 35636311.08\nJ2 3300125.22 35637758.60\nJ3 3298798.41 35638065.14\n");

        Assert.Contains("开采标高", problem.Message);
    }

    [Fact]
    public void Parse_ZoneOptionContradictsPrefix_Refused()
    {
        var problem = SingleProblem(LicenceSamples.Table, new LicenceParseOptions { Zone = 36 });

        Assert.Contains("zone 35", problem.Message);
    }

    [Fact]
    public void Parse_NoDatumDeclared_WarnsThatCgcs2000IsAssumed()
    {
        var area = LicenceParser.Parse(LicenceSamples.Table.Replace("2000国家大地坐标系，", ""));

        Assert.Contains(area.Warnings, w => w.Message.Contains("CGCS2000"));
    }
}
