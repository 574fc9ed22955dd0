using System.Globalization;
using GeoMine.Geo.Import;
using GeoMine.Geo.Tests.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GeoMine.Geo.Tests.Import;

/// <summary><c>--srs gcj02</c>: boundaries taken from AMap/DataV are GCJ-02 and land 440-590 m off unless converted.
/// Reference: the published WGS84 ↔ GCJ-02 pairs of eviltransform (the same as <see cref="Gcj02Tests"/>).</summary>
public sealed class Gcj02ImportTests
{
    [Fact]
    public async Task Read_GeoJsonOfGcj02Points_ConvertedToThePublishedWgs84AndSaidSo()
    {
        var pairs = Gcj02Tests.Published.Select(row => ((double)row[0], (double)row[1], (double)row[2], (double)row[3])).ToList();
        var folder = GeoMine.TestSupport.TestPaths.NewOutputDirectory("gcj02-import");
        var path = Path.Combine(folder, "datav.geojson");
        var features = string.Join(",", pairs.Select((p, i) =>
            "{\"type\":\"Feature\",\"properties\":{\"n\":" + i + "},\"geometry\":{\"type\":\"Point\",\"coordinates\":[" +
            p.Item4.ToString("R", CultureInfo.InvariantCulture) + "," + p.Item3.ToString("R", CultureInfo.InvariantCulture) + "]}}"));
        await File.WriteAllTextAsync(path, $$"""{"type":"FeatureCollection","features":[{{features}}]}""");

        var read = await OgrSource.ReadAsync(path, "gcj02");
        var plain = await OgrSource.ReadAsync(path);

        Assert.Contains("GCJ-02", read.SourceCrs);
        for (var i = 0; i < pairs.Count; i++)
        {
            var point = (Point)new WKTReader().Read(read.Features[i].Wkt);
            Assert.Equal(pairs[i].Item2, point.X, 1e-8); // WGS84 longitude, ~1 mm
            Assert.Equal(pairs[i].Item1, point.Y, 1e-8);
            var unconverted = (Point)new WKTReader().Read(plain.Features[i].Wkt);
            var metres = Math.Sqrt(Math.Pow((unconverted.X - point.X) * 111_320 * Math.Cos(point.Y * Math.PI / 180), 2) + Math.Pow((unconverted.Y - point.Y) * 110_574, 2));
            Assert.InRange(metres, 300, 700); // what would have gone in without --srs gcj02
        }
    }
}
