using GeoMine.Geo.Licences;
using NetTopologySuite.Algorithm.Distance;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GeoMine.Geo.Tests.Licences;

public sealed class LicenceParserTests
{
    /// <summary>1 cm in degrees of latitude (the longitude degree is shorter, so this is conservative).</summary>
    private const double OneCentimetreDegrees = 0.01 / 111_320;

    private static void AssertHausdorffWithin1Cm(string expectedWkt, Geometry actual)
    {
        var expected = new WKTReader().Read(expectedWkt);
        var distance = DiscreteHausdorffDistance.Distance(expected, actual);
        Assert.True(distance <= OneCentimetreDegrees, $"Hausdorff {distance * 111_320 * 100:F3} cm\n expected {expected}\n actual {actual}");
        Assert.Equal(expected.NumPoints, actual.NumPoints);
    }

    [Fact]
    public void Parse_NumberedLayout_GivesBothBlocksWithElevationsAndTheHole()
    {
        var area = LicenceParser.Parse(LicenceSamples.Numbered);

        Assert.Equal("C2100002009071120031234", area.Particulars.LicenceNo);
        Assert.Equal("辽宁远东矿业有限公司", area.Particulars.Holder);
        Assert.Equal(new DateOnly(2029, 6, 30), area.Particulars.ValidTo);
        Assert.Equal("EPSG:4529", area.SourceSrs.ToString());
        Assert.Collection(area.Blocks,
            b =>
            {
                Assert.Equal(("远东采区", 363.0, 10.0, 5), (b.Name, b.UpperMetres, b.LowerMetres, b.VertexCount));
                AssertHausdorffWithin1Cm(LicenceSamples.NumberedFarEastWkt, b.Geometry);
                Assert.Equal(4.0591, b.AreaSquareKilometres);
            },
            b =>
            {
                Assert.Equal(("西采区", 250.0, -120.0, 8), (b.Name, b.UpperMetres, b.LowerMetres, b.VertexCount));
                AssertHausdorffWithin1Cm(LicenceSamples.NumberedWestWkt, b.Geometry);
                Assert.Equal(1, ((Polygon)b.Geometry).NumInteriorRings);
                Assert.Equal(2.5807, b.AreaSquareKilometres); // 2.81533809 − 0.2346115 km²
            });
        Assert.Empty(area.Warnings);
        Assert.Equal(2, area.ToMultiPolygon().NumGeometries);
    }

    [Fact]
    public void Parse_TableLayout_GivesPolygonElevationFromSentenceAndStatedAreaAccepted()
    {
        var area = LicenceParser.Parse(LicenceSamples.Table);

        var block = Assert.Single(area.Blocks);
        AssertHausdorffWithin1Cm(LicenceSamples.TableWkt, block.Geometry);
        Assert.Equal((77.0, 3.94, 6), (block.UpperMetres, block.LowerMetres, block.VertexCount));
        Assert.Equal("EPSG:4523", area.SourceSrs.ToString());
        Assert.Empty(area.Warnings);
    }

    [Fact]
    public void Parse_SixDigitEastingsWithCentralMeridian_GivesSamePolygonAndWarnsRingClosed()
    {
        var area = LicenceParser.Parse(LicenceSamples.TableWithoutPrefix, new LicenceParseOptions { CentralMeridianDegrees = 105 });

        var block = Assert.Single(area.Blocks);
        AssertHausdorffWithin1Cm(LicenceSamples.TableWkt, block.Geometry);
        Assert.Equal((363.0, 10.0), (block.UpperMetres, block.LowerMetres));
        Assert.Equal("EPSG:4544", area.SourceSrs.ToString());
        Assert.Contains(area.Warnings, w => w.Message.Contains("not closed"));
    }

    [Fact]
    public void Parse_SixDigitEastingsWithZone_SameAsWithCentralMeridian()
    {
        var area = LicenceParser.Parse(LicenceSamples.TableWithoutPrefix, new LicenceParseOptions { Zone = 35 });

        AssertHausdorffWithin1Cm(LicenceSamples.TableWkt, Assert.Single(area.Blocks).Geometry);
    }

    [Fact]
    public void Parse_SixDigitEastingsWithoutZone_RefusesAndAsksForZoneOrCm()
    {
        var e = Assert.Throws<LicenceException>(() => LicenceParser.Parse(LicenceSamples.TableWithoutPrefix));

        var problem = Assert.Single(e.Problems);
        Assert.Equal(3, problem.LineNumber);
        Assert.Contains("--zone", problem.Message);
        Assert.Contains("--cm", problem.Message);
    }

    [Fact]
    public void Write_NumberedLayout_GivesFeatureCollectionWithBlockProperties()
    {
        var json = LicenceGeoJson.Write(LicenceParser.Parse(LicenceSamples.Numbered));

        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var features = doc.RootElement.GetProperty("features");
        Assert.Equal(2, features.GetArrayLength());
        var west = features[1];
        Assert.Equal("Polygon", west.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(2, west.GetProperty("geometry").GetProperty("coordinates").GetArrayLength());
        var p = west.GetProperty("properties");
        Assert.Equal("西采区", p.GetProperty("block").GetString());
        Assert.Equal(-120, p.GetProperty("lower_m").GetDouble());
        Assert.Equal(2.5807, p.GetProperty("area_km2").GetDouble());
        Assert.Equal(8, p.GetProperty("vertex_count").GetInt32());
        Assert.Contains("Gauss-Kruger", p.GetProperty("area_basis").GetString());
    }

    [Fact]
    public void Parse_LabelledTableWithAxisHeaders_SamePolygonAsThePlainTable()
    {
        var labelled = """
            矿区范围拐点坐标（2000国家大地坐标系）
            点号  X坐标  Y坐标
            J1  X 3299885.65  Y 35636311.08
            J2  X=3300125.22  Y=35637758.60
            J3  X:3298798.41  Y:35638065.14
            J4  X坐标：3297680.19  Y坐标：35637305.24
            J5  X 3298216.75  Y 35635847.93
            J6  X 3299102.50  Y 35635740.42
            J1  X 3299885.65  Y 35636311.08
            开采标高自+77米至+3.94米
            """;

        var block = Assert.Single(LicenceParser.Parse(labelled).Blocks);

        AssertHausdorffWithin1Cm(LicenceSamples.TableWkt, block.Geometry);
        Assert.Equal((77, 3.94), (block.UpperMetres, block.LowerMetres));
    }

    [Fact]
    public void Parse_FullWidthDigitsAndPunctuation_ReadAsTheirPlainForms()
    {
        // As typed with a Chinese input method in full-width mode: ０-９ ， ． ＊ and ：.
        static string FullWidth(string text) => new([.. text.Select(c => c is >= '0' and <= '9' or ',' or '.' or '*' or '-' ? (char)(c + 0xFEE0) : c)]);
        var text = "采矿许可证号：" + FullWidth("C2100002009071120031234") + "\n2000国家大地坐标系\n" + string.Join("\n", LicenceSamples.Numbered.Split('\n').Skip(6).Select(FullWidth));

        var area = LicenceParser.Parse(text);

        Assert.Equal("C2100002009071120031234", area.Particulars.LicenceNo);
        Assert.Equal(["远东采区", "西采区"], area.Blocks.Select(b => b.Name));
        AssertHausdorffWithin1Cm(LicenceSamples.NumberedFarEastWkt, area.Blocks[0].Geometry);
        Assert.Equal((250, -120), (area.Blocks[1].UpperMetres, area.Blocks[1].LowerMetres));
    }

    [Theory]
    [InlineData("证号：C5000002011031120109876")]
    [InlineData("证 号：C5000002011031120109876")]
    [InlineData("采矿许可证号：C5000002011031120109876")]
    [InlineData("许可证编号: C5000002011031120109876")]
    public void Parse_LicenceNumberAfterAnyOfItsLabels_Read(string line)
    {
        var area = LicenceParser.Parse(line + "\n" + LicenceSamples.Table);

        Assert.Equal("C5000002011031120109876", area.Particulars.LicenceNo);
    }

    [Fact]
    public void Parse_BoundsWrittenLowerFirst_ReadByMeaningAndReported()
    {
        var ringEnd = LicenceSamples.Numbered.Replace("*,363,10,远东采区,1,", "*,10,363,远东采区,1,");
        var sentence = LicenceSamples.Table.Replace("开采标高自+77米至+3.94米", "开采标高自+3.94米至+77米");

        var numbered = LicenceParser.Parse(ringEnd);
        var table = LicenceParser.Parse(sentence);

        Assert.Equal((363, 10), (numbered.Blocks[0].UpperMetres, numbered.Blocks[0].LowerMetres));
        var warning = Assert.Single(numbered.Warnings, w => w.Message.Contains("lower first"));
        Assert.Equal(12, warning.LineNumber);
        Assert.Contains("远东采区", warning.Message);
        Assert.Equal((77, 3.94), (table.Blocks[0].UpperMetres, table.Blocks[0].LowerMetres));
        Assert.Equal(10, Assert.Single(table.Warnings, w => w.Message.Contains("lower first")).LineNumber);
    }
}
