using System.Diagnostics;
using System.Globalization;
using GeoMine.Geo.Crs;

namespace GeoMine.Geo.Tests.Crs;

public sealed class CoordinateLineTransformerTests
{
    [Fact]
    public void Transform_GeographicToPrefixedZone_WritesEastingNorthingAndKeepsZ()
    {
        // echo "29.57 106.55" | cs2cs -f %.4f EPSG:4490 EPSG:4523 → 3273451.1735 35650203.7365
        var transformer = new CoordinateLineTransformer(SpatialReference.Cgcs2000, SpatialReference.Parse("EPSG:4523"));

        var (lines, problems) = transformer.Transform(new StringReader("106.55 29.57 356.2\n"));

        Assert.Empty(problems);
        var f = lines.Single().Split(' ');
        Assert.Equal(35650203.7365, double.Parse(f[0], CultureInfo.InvariantCulture), 0.001);
        Assert.Equal(3273451.1735, double.Parse(f[1], CultureInfo.InvariantCulture), 0.001);
        Assert.Equal("356.2", f[2]);
    }

    [Fact]
    public void Transform_BadLines_ReportsEachWithItsLineNumber()
    {
        var transformer = new CoordinateLineTransformer(SpatialReference.Parse("EPSG:4545"), SpatialReference.Cgcs2000);

        var (lines, problems) = transformer.Transform(new StringReader("500000 3272448.4\nabc 1\n\n3272448.4 500000\n1 2 3 4\n"));

        Assert.Equal([2, 4, 5], problems.Select(p => p.LineNumber));
        Assert.Contains("swapped", problems[1].Message);
        Assert.Equal(2, lines.Count); // the good line and the blank line
    }

    [Fact]
    public void Parse_Gcj02AndUnknown_AcceptsGcj02AndRefusesOthersWithTheSupportedList()
    {
        Assert.Equal(CrsKind.Gcj02, SpatialReference.Parse("gcj02").Kind);
        var e = Assert.Throws<FormatException>(() => SpatialReference.Parse("EPSG:3857"));
        Assert.Contains("4491-4554", e.Message);
        // A Xi'an 1980 code is known, and converting from it without a configured transformation is refused.
        var xian = Assert.Throws<FormatException>(() => new CoordinateLineTransformer(SpatialReference.Parse("EPSG:2383"), SpatialReference.Cgcs2000));
        Assert.Contains("--datum-transform", xian.Message);
    }

    [Fact]
    public void Transform_RandomPointsInEveryThreeDegreeZone_AgreesWithLiveCs2cs()
    {
        // Calls PROJ's cs2cs when it is installed (Debian proj-bin); passes vacuously otherwise.
        if (!File.Exists("/usr/bin/cs2cs"))
        {
            return;
        }

        var random = new Random(7);
        for (var zone = 25; zone <= 45; zone += 4)
        {
            var epsg = 4513 + zone - 25;
            var points = Enumerable.Range(0, 20)
                .Select(_ => (Lon: (zone * 3) + ((random.NextDouble() * 6) - 3), Lat: 18 + (random.NextDouble() * 35)))
                .ToList();
            var start = new ProcessStartInfo("cs2cs", ["-f", "%.6f", "EPSG:4490", $"EPSG:{epsg}"])
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            foreach (var (lon, lat) in points)
            {
                process.StandardInput.WriteLine(FormattableString.Invariant($"{lat:R} {lon:R}"));
            }

            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            process.WaitForExit();
            var converter = new CoordinateConverter(SpatialReference.Cgcs2000, SpatialReference.FromEpsg(epsg)!);
            for (var i = 0; i < points.Count; i++)
            {
                var f = output[i].Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                var (x, y) = converter.Convert(points[i].Lon, points[i].Lat);
                Assert.Equal(double.Parse(f[1], CultureInfo.InvariantCulture), x, 0.001);
                Assert.Equal(double.Parse(f[0], CultureInfo.InvariantCulture), y, 0.001);
            }
        }
    }
}
