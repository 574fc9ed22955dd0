using System.Diagnostics;
using System.Globalization;
using GeoMine.Geo.Crs;
using GeoMine.Geo.Import;
using GeoMine.Geo.Licences;
using GeoMine.Geo.Storage;
using GeoMine.Geo.Tests.Licences;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GeoMine.Geo.Tests.Crs;

/// <summary>
/// Xi'an 1980 and Beijing 1954 data: recognised in every spelling, never taken as CGCS2000, converted only with a
/// configured transformation — checked against PROJ's <c>cs2cs</c> run here with the same <c>+towgs84</c>.
/// </summary>
public sealed class LegacyDatumTests
{
    // Parameters of the right size for Xi'an 1980 → CGCS2000 (tens of metres); made up for the test, named as such.
    private static readonly DatumTransformation Xian = new()
    {
        Name = "test-xian80", Datum = "xian1980", Towgs84 = "24.0,-123.0,-94.0,0.02,-0.25,-0.13,1.1", Area = "test parameters",
    };

    private static readonly DatumTransformation Beijing = new() { Name = "test-bj54", Datum = "beijing1954", Towgs84 = "15.8,-154.4,-82.3" };

    private static readonly LicenceParseOptions WithXian = new() { Transformations = [Xian, Beijing], DatumTransform = "test-xian80" };

    private static string Declared(string declaration) =>
        LicenceSamples.Table.Replace("（2000国家大地坐标系，1985国家高程基准）", $"（{declaration}，1985国家高程基准）");

    [Theory]
    [InlineData("1980年西安坐标系", "Xi'an 1980")]
    [InlineData("1980西安坐标系", "Xi'an 1980")]
    [InlineData("西安80", "Xi'an 1980")]
    [InlineData("西安1980", "Xi'an 1980")]
    [InlineData("国家80坐标系", "Xi'an 1980")]
    [InlineData("1980年西安大地坐标系", "Xi'an 1980")]
    [InlineData("Xian 1980", "Xi'an 1980")]
    [InlineData("1954年北京坐标系", "Beijing 1954")]
    [InlineData("北京54", "Beijing 1954")]
    public void Parse_OldDatumInAnySpelling_RefusedNamingTheDatumAndWhatToDo(string declaration, string datum)
    {
        var e = Assert.Throws<LicenceException>(() => LicenceParser.Parse(Declared(declaration)));

        var problem = Assert.Single(e.Problems);
        Assert.Equal(1, problem.LineNumber);
        Assert.Contains($"{datum} (", problem.Message);
        Assert.Contains("not CGCS2000", problem.Message);
        Assert.Contains("--datum-transform", problem.Message);
    }

    [Fact]
    public async Task Parse_Xian80WithConfiguredTransformation_VerticesAsCs2csWithTheSameTowgs84()
    {
        var area = LicenceParser.Parse(Declared("1980西安坐标系"), WithXian);

        // The corner points (zone 35, prefixed: CM 105°E, false easting 35 500 000 m) on the IAG 1975 ellipsoid, through PROJ.
        string[] corners = ["35636311.08 3299885.65", "35637758.60 3300125.22", "35638065.14 3298798.41", "35637305.24 3297680.19", "35635847.93 3298216.75", "35635740.42 3299102.50"];
        var expected = await Cs2csAsync(
            $"+proj=tmerc +lat_0=0 +lon_0=105 +k=1 +x_0=35500000 +y_0=0 +ellps=IAU76 {Xian.ProjTerm} +units=m +no_defs", corners);
        var ring = ((Polygon)Assert.Single(area.Blocks).Geometry).ExteriorRing.Coordinates;
        for (var i = 0; i < corners.Length; i++)
        {
            Assert.Equal(expected[i].Lon, ring[i].X, 1e-9); // 1e-9° ≈ 0.1 mm
            Assert.Equal(expected[i].Lat, ring[i].Y, 1e-9);
        }

        // Read as CGCS2000 the same numbers land tens of metres away: the shift is real, not rounding.
        var asCgcs2000 = ((Polygon)new WKTReader().Read(LicenceSamples.TableWkt)).ExteriorRing.Coordinates;
        var metres = Math.Sqrt(Math.Pow((ring[0].X - asCgcs2000[0].X) * 111_320 * Math.Cos(ring[0].Y * Math.PI / 180), 2) + Math.Pow((ring[0].Y - asCgcs2000[0].Y) * 110_574, 2));
        Assert.InRange(metres, 20, 200);
        Assert.Contains("Xi'an 1980", area.SourceDescription);
        Assert.Contains("'test-xian80' (+towgs84=24,-123,-94,0.02,-0.25,-0.13,1.1; test parameters)", area.SourceDescription);
        Assert.Equal(4.026, area.AreaSquareKilometres, 3); // in the licence's own plane, as stated
    }

    [Fact]
    public void Parse_SrsOfXian80WithoutDeclaration_RefusedUnlessATransformationIsNamed()
    {
        var text = LicenceSamples.Table.Replace("（2000国家大地坐标系，1985国家高程基准）", "");
        var srs = SpatialReference.Parse("EPSG:2359"); // Xi'an 1980 / 3-degree Gauss-Kruger zone 35

        var refused = Assert.Throws<LicenceException>(() => LicenceParser.Parse(text, new LicenceParseOptions { Srs = srs, Transformations = [Xian] }));
        var withShift = LicenceParser.Parse(text, WithXian with { Srs = srs });
        var declared = LicenceParser.Parse(Declared("西安80"), WithXian);

        Assert.Contains("test-xian80", Assert.Single(refused.Problems).Message); // names what is configured
        Assert.Equal(declared.Blocks[0].Geometry.Coordinates, withShift.Blocks[0].Geometry.Coordinates);
    }

    [Fact]
    public void Parse_BeijingLicenceWithAXian80Transformation_Refused()
    {
        var e = Assert.Throws<LicenceException>(() => LicenceParser.Parse(Declared("1954年北京坐标系"), WithXian));

        var message = Assert.Single(e.Problems).Message;
        Assert.Contains("converts Xi'an 1980, but", message);
        Assert.Contains("test-bj54", message);
    }

    [Theory]
    [InlineData(2383, "xian1980", ZoneWidth.ThreeDegree, 38, false)] // projinfo: +lon_0=114 +x_0=500000 +ellps=IAU76
    [InlineData(2359, "xian1980", ZoneWidth.ThreeDegree, 35, true)] // +lon_0=105 +x_0=35500000
    [InlineData(2327, "xian1980", ZoneWidth.SixDegree, 13, true)] // +lon_0=75 +x_0=13500000
    [InlineData(2401, "beijing1954", ZoneWidth.ThreeDegree, 25, true)] // +lon_0=75 +x_0=25500000 +ellps=krass
    [InlineData(2442, "beijing1954", ZoneWidth.ThreeDegree, 45, false)] // +lon_0=135 +x_0=500000
    [InlineData(21453, "beijing1954", ZoneWidth.SixDegree, 13, false)] // +lon_0=75 +x_0=500000
    [InlineData(21483, "beijing1954", ZoneWidth.SixDegree, 23, false)] // +lon_0=135 +x_0=500000
    public void Parse_LegacyEpsgCodes_DatumAndZoneAsProjinfoDescribesThem(int epsg, string datum, ZoneWidth width, int zone, bool prefixed)
    {
        var srs = SpatialReference.Parse($"EPSG:{epsg}");

        Assert.Equal(datum, srs.Datum.Code);
        Assert.Equal(new GaussKrugerZone(width, zone), srs.Zone);
        Assert.Equal(prefixed, srs.Prefixed);
        Assert.Throws<FormatException>(() => new CoordinateConverter(srs, SpatialReference.Cgcs2000));
    }

    [Fact]
    public async Task Import_ShapefileInXian80_RefusedThenConvertedAsCs2csWithTheSameTowgs84()
    {
        var folder = GeoMine.TestSupport.TestPaths.NewOutputDirectory("xian80-import");
        var csv = Path.Combine(folder, "points.csv");
        await File.WriteAllTextAsync(csv, "name,x,y\nA,38500123.45,3340567.89\nB,38512345.67,3351234.56\n");
        var shp = Path.Combine(folder, "points.shp");
        await ExternalCommand.RunCheckedAsync("ogr2ogr", ["-f", "ESRI Shapefile", shp, csv, "-oo", "X_POSSIBLE_NAMES=x", "-oo", "Y_POSSIBLE_NAMES=y", "-a_srs", "EPSG:2362"]);

        var refused = await Assert.ThrowsAsync<ImportException>(() => OgrSource.ReadAsync(shp));
        var read = await OgrSource.ReadAsync(shp, datumShift: ([Xian], "test-xian80"));

        Assert.Contains("Xi'an 1980", refused.Message);
        Assert.Contains("--datum-transform", refused.Message);
        Assert.Contains("test-xian80", read.SourceCrs);
        var expected = await Cs2csAsync($"+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=38500000 +y_0=0 +ellps=IAU76 {Xian.ProjTerm} +units=m +no_defs",
            ["38500123.45 3340567.89", "38512345.67 3351234.56"]);
        for (var i = 0; i < 2; i++)
        {
            var point = (Point)new WKTReader().Read(read.Features[i].Wkt);
            Assert.Equal(expected[i].Lon, point.X, 1e-9);
            Assert.Equal(expected[i].Lat, point.Y, 1e-9);
        }

        // The same file without its .prj, given --srs EPSG:2362: refused too, never moved by PROJ's ballpark.
        File.Delete(Path.ChangeExtension(shp, ".prj"));
        var bySrs = await Assert.ThrowsAsync<ImportException>(() => OgrSource.ReadAsync(shp, "EPSG:2362"));
        Assert.Contains("--srs EPSG:2362", bySrs.Message);
    }

    /// <summary>PROJ's answer: <c>cs2cs SOURCE +to GRS80-longlat-with-null-towgs84</c> on "easting northing" lines.</summary>
    private static async Task<List<(double Lon, double Lat)>> Cs2csAsync(string source, IReadOnlyList<string> eastingNorthing)
    {
        var args = new List<string> { "-f", "%.12f" };
        args.AddRange(source.Split(' '));
        args.Add("+to");
        args.AddRange("+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs".Split(' '));
        var start = new ProcessStartInfo("cs2cs", args) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        foreach (var line in eastingNorthing)
        {
            await process.StandardInput.WriteLineAsync(line);
        }

        process.StandardInput.Close();
        var output = (await process.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await process.WaitForExitAsync();
        return [.. output.Select(l => l.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries))
            .Select(f => (double.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture)))];
    }
}
