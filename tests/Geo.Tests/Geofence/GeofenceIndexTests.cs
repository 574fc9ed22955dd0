using GeoMine.Geo.Geofence;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GeoMine.Geo.Tests.Geofence;

public sealed class GeofenceIndexTests
{
    // A licence with a hole (106.505-106.515 × 29.595-29.605) and a second part, band −120…250 m;
    // offsets from its west edge (106.5°E) made with PROJ's geod, not GeoMine:
    //   echo "29.6 106.5 270 3"  | geod +ellps=GRS80 -f %.10f → 106.4999690309 (3 m west)
    //   echo "29.6 106.5 90 25"  | geod +ellps=GRS80 -f %.10f → 106.5002580755 (25 m east)
    private const string LicenceWkt =
        "MULTIPOLYGON (((106.5 29.59, 106.52 29.59, 106.52 29.61, 106.5 29.61, 106.5 29.59), " +
        "(106.505 29.595, 106.505 29.605, 106.515 29.605, 106.515 29.595, 106.505 29.595)), " +
        "((106.53 29.59, 106.54 29.59, 106.54 29.61, 106.53 29.61, 106.53 29.59)))";

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Srid.Cgcs2000);

    private static GeofenceIndex Index() => GeofenceIndex.Build(
    [
        new GeofenceArea(7, GeofenceAreaKind.MiningRight, new WKTReader().Read(LicenceWkt), new ElevationRangeMetres(-120, 250)),
        new GeofenceArea(11, GeofenceAreaKind.SealedShaft, Factory.CreatePoint(new Coordinate(106.6, 29.6)), RadiusMetres: 100),
    ]);

    [Theory]
    [InlineData(106.4999690309, 20.0, Containment.Uncertain)] // 3 m outside, GPS ±20 m
    [InlineData(106.4999690309, 2.0, Containment.Outside)]    // 3 m outside, GPS ±2 m
    [InlineData(106.5002580755, 20.0, Containment.Inside)]    // 25 m inside, ±20 m
    [InlineData(106.5002580755, 30.0, Containment.Uncertain)] // 25 m inside, ±30 m
    [InlineData(106.51, 5.0, Containment.Outside)]            // in the hole
    [InlineData(106.535, 5.0, Containment.Inside)]            // second polygon
    [InlineData(106.4999690309, 150.0, Containment.Uncertain)] // accuracy beyond the grid: exact path
    public void Classify_NearTheBoundary_UsesTheAccuracy(double lon, double accuracyMetres, Containment expected)
    {
        var result = Index().Classify("phone-1", lon, 29.6, null, accuracyMetres);

        Assert.Equal(expected, result.ContainmentOf(GeofenceAreaKind.MiningRight, 7));
    }

    [Theory]
    [InlineData(100.0, ElevationStatus.Within)]
    [InlineData(-300.0, ElevationStatus.Below)]
    [InlineData(400.0, ElevationStatus.Above)]
    [InlineData(null, ElevationStatus.Unknown)]
    public void Classify_InsideWithHeight_ComparesWithTheBand(double? z, ElevationStatus expected)
    {
        var hit = Assert.Single(Index().Classify(null, 106.502, 29.6, z, 10).Hits);

        Assert.Equal((7L, Containment.Inside, expected), (hit.AreaId, hit.Containment, hit.Elevation));
    }

    [Theory]
    [InlineData(100.0, ElevationStatus.Within)]
    [InlineData(-300.0, ElevationStatus.Below)]
    [InlineData(null, ElevationStatus.Unknown)]
    public void Classify_DeepInsideALargeLicence_ComparesWithTheBandWithoutBoundaryTest(double? z, ElevationStatus expected)
    {
        var licence = new WKTReader().Read("POLYGON ((107 30, 107.05 30, 107.05 30.05, 107 30.05, 107 30))");
        var index = GeofenceIndex.Build([new GeofenceArea(3, GeofenceAreaKind.MiningRight, licence, new ElevationRangeMetres(-120, 250))]);

        var first = index.Classify("phone-9", 107.025, 30.025, z, 10);
        var second = index.Classify("phone-9", 107.02501, 30.02501, z, 10);

        Assert.Equal(new GeofenceHit(3, GeofenceAreaKind.MiningRight, Containment.Inside, expected, new ElevationRangeMetres(-120, 250)), Assert.Single(first.Hits));
        Assert.Equal(first.Hits, second.Hits);
    }

    [Fact]
    public void Classify_NearSealedShaft_GivesGeodesicDistanceWithinOneCentimetre()
    {
        // echo "29.6 106.6 29.6003 106.6005" | geod +ellps=GRS80 -I +units=m -F %.4f → 58.7520 m
        var result = Index().Classify("phone-2", 106.6005, 29.6003, null, 10);

        var shaft = result.NearestShaft!.Value;
        Assert.Equal(11, shaft.ShaftId);
        Assert.Equal(58.7520, shaft.DistanceMetres, 0.01);
        Assert.Equal(Containment.Inside, result.ContainmentOf(GeofenceAreaKind.SealedShaft, 11));
    }

    [Fact]
    public void Classify_FarFromEverything_ReturnsEmpty()
    {
        Assert.Same(GeofenceResult.Empty, Index().Classify("phone-3", 110, 35, 100, 10));
    }

    [Fact]
    public void Classify_RandomPositionsAroundManyAreas_AgreesWithTheExactPath()
    {
        var random = new Random(3);
        var areas = new List<GeofenceArea>();
        for (var i = 0; i < 40; i++)
        {
            var (cx, cy) = (106.5 + (random.NextDouble() * 0.1), 29.5 + (random.NextDouble() * 0.1));
            var shell = Star(cx, cy, 0.004 + (random.NextDouble() * 0.01), 40, random);
            var polygon = i % 3 == 0 ? Factory.CreatePolygon(shell, [Star(cx, cy, 0.002, 12, random)]) : Factory.CreatePolygon(shell);
            areas.Add(new GeofenceArea(i, (GeofenceAreaKind)(i % 4 == 2 ? 3 : i % 4), polygon, i % 2 == 0 ? new ElevationRangeMetres(0, 300) : null));
            areas.Add(new GeofenceArea(1000 + i, GeofenceAreaKind.SealedShaft, Factory.CreatePoint(new Coordinate(cx, cy)), RadiusMetres: 30 + (i * 5)));
        }

        var index = GeofenceIndex.Build(areas, cellMetres: 150, maxAccuracyMetres: 50);
        for (var n = 0; n < 50_000; n++)
        {
            var (lon, lat) = (106.49 + (random.NextDouble() * 0.12), 29.49 + (random.NextDouble() * 0.12));
            var accuracy = random.Next(4) == 0 ? 0 : random.NextDouble() * 50;
            var fast = index.Classify(n % 5 == 0 ? null : $"d{n % 37}", lon, lat, 150, accuracy);
            var exact = index.ClassifyExact(lon, lat, 150, accuracy);

            Assert.Equal(exact.Hits.OrderBy(h => (h.Kind, h.AreaId)), fast.Hits.OrderBy(h => (h.Kind, h.AreaId)));
            Assert.Equal(exact.NearestShaft?.ShaftId, fast.NearestShaft?.ShaftId);
        }
    }

    [Fact]
    public void Swap_NewIndex_ReadersSeeItAndGetTheOldOneBack()
    {
        var first = Index();
        var holder = new GeofenceIndexHolder(first);
        var second = GeofenceIndex.Build([]);

        var old = holder.Swap(second);

        Assert.Same(first, old);
        Assert.Same(second, holder.Current);
        Assert.Same(GeofenceResult.Empty, holder.Current.Classify("phone-1", 106.502, 29.6, null, 5));
    }

    /// <summary>A star-shaped (hence simple) ring around (cx, cy) with a random radius per vertex, degrees.</summary>
    private static LinearRing Star(double cx, double cy, double radius, int vertices, Random random)
    {
        var coordinates = Enumerable.Range(0, vertices)
            .Select(k => 2 * Math.PI * k / vertices)
            .Select(a => new Coordinate(cx + (radius * (0.6 + (0.4 * random.NextDouble())) * Math.Cos(a)), cy + (radius * (0.6 + (0.4 * random.NextDouble())) * Math.Sin(a))))
            .ToList();
        coordinates.Add(coordinates[0]);
        return Factory.CreateLinearRing([.. coordinates]);
    }
}
