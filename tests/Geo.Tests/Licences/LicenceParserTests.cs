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
}
