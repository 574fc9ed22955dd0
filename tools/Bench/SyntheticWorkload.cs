using GeoMine.Geo.Geofence;
using GeoMine.Geo.Storage;
using NetTopologySuite.Geometries;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// Deterministic synthetic data modelled on the real workload: licences, closed mines and tailings
/// ponds clustered in mining districts (Gaussian, σ 12 km, around district centres in the
/// Chongqing-Guizhou coal belt), star-shaped polygons of N vertices and 300-1200 m radius (10 % with a
/// hole, 5 % in two parts), shafts clustered around closed mines; devices that each work in or near
/// one area, moving 1-8 m between fixes along a wandering heading, uploading batches of
/// <see cref="BenchOptions.BatchSize"/> fixes in time order, batches of all devices interleaved.
/// </summary>
internal sealed class SyntheticWorkload
{
    private const double ShaftRadiusMetres = 50;

    public required IReadOnlyList<GeofenceArea> Areas { get; init; }

    public required BenchPosition[] Positions { get; init; }

    public required string[] DeviceIds { get; init; }

    public static SyntheticWorkload Generate(BenchOptions options)
    {
        var random = new Random(options.Seed);
        var factory = GeometryWkb.Factory;
        var districts = Enumerable.Range(0, BenchOptions.Districts)
            .Select(_ => (Lon: 103.0 + (random.NextDouble() * 8), Lat: 24.0 + (random.NextDouble() * 9)))
            .ToArray();
        var areas = new List<GeofenceArea>(options.Areas + options.Shafts);
        var centres = new List<(double Lon, double Lat, double RadiusMetres, int Area)>();
        for (var i = 0; i < options.Areas; i++)
        {
            var district = districts[random.Next(districts.Length)];
            var (kx, ky) = LocalMetricPlane.MetresPerDegree(district.Lat);
            var lon = district.Lon + (Gaussian(random) * 12_000 / kx);
            var lat = district.Lat + (Gaussian(random) * 12_000 / ky);
            var radius = 300 + (random.NextDouble() * 900);
            var shell = Star(factory, lon, lat, radius, options.Vertices, kx, ky, random);
            Geometry geometry = random.NextDouble() < 0.10
                ? factory.CreatePolygon(shell, [Star(factory, lon, lat, radius * 0.25, Math.Max(4, options.Vertices / 4), kx, ky, random)])
                : factory.CreatePolygon(shell);
            if (random.NextDouble() < 0.05)
            {
                var second = factory.CreatePolygon(Star(factory, lon + (2.5 * radius / kx), lat, radius * 0.4, Math.Max(4, options.Vertices / 2), kx, ky, random));
                geometry = factory.CreateMultiPolygon([(Polygon)geometry, second]);
            }

            var kind = (i % 20) switch { < 12 => GeofenceAreaKind.MiningRight, < 17 => GeofenceAreaKind.ClosedMine, _ => GeofenceAreaKind.TailingsPond };
            ElevationRangeMetres? band = kind == GeofenceAreaKind.MiningRight ? new ElevationRangeMetres(-200 + random.Next(300), 300 + random.Next(600)) : null;
            areas.Add(new GeofenceArea(i + 1, kind, geometry, band));
            centres.Add((lon, lat, radius, i));
        }

        var mines = centres.Where(c => areas[c.Area].Kind == GeofenceAreaKind.ClosedMine).ToList();
        for (var s = 0; s < options.Shafts; s++)
        {
            var mine = mines.Count > 0 ? mines[random.Next(mines.Count)] : centres[random.Next(centres.Count)];
            var (kx, ky) = LocalMetricPlane.MetresPerDegree(mine.Lat);
            var point = factory.CreatePoint(new Coordinate(
                mine.Lon + (Gaussian(random) * mine.RadiusMetres * 0.5 / kx), mine.Lat + (Gaussian(random) * mine.RadiusMetres * 0.5 / ky)));
            areas.Add(new GeofenceArea(s + 1, GeofenceAreaKind.SealedShaft, point, RadiusMetres: ShaftRadiusMetres));
        }

        var devices = Math.Max(1, options.Positions / BenchOptions.FixesPerDevice);
        return new SyntheticWorkload
        {
            Areas = areas,
            Positions = Tracks(centres, devices, options.Positions, random),
            DeviceIds = [.. Enumerable.Range(0, devices).Select(d => $"86{d:D13}")],
        };
    }

    private static BenchPosition[] Tracks(List<(double Lon, double Lat, double RadiusMetres, int Area)> centres, int devices, int count, Random random)
    {
        var state = Enumerable.Range(0, devices).Select(_ =>
        {
            var home = centres[random.Next(centres.Count)];
            var (kx, ky) = LocalMetricPlane.MetresPerDegree(home.Lat);
            var angle = random.NextDouble() * 2 * Math.PI;
            var r = random.NextDouble() * home.RadiusMetres;
            return new DeviceState
            {
                Home = home, Kx = kx, Ky = ky, Heading = random.NextDouble() * 2 * Math.PI,
                X = r * Math.Cos(angle), Y = r * Math.Sin(angle), Z = 100 + (random.NextDouble() * 300),
            };
        }).ToArray();
        var positions = new BenchPosition[count];
        var n = 0;
        while (n < count)
        {
            for (var d = 0; d < devices && n < count; d++)
            {
                var s = state[d];
                for (var b = 0; b < BenchOptions.BatchSize && n < count; b++)
                {
                    s.Heading += Gaussian(random) * 0.3;
                    var distance = Math.Sqrt((s.X * s.X) + (s.Y * s.Y));
                    if (distance > s.Home.RadiusMetres * 1.3)
                    {
                        s.Heading = Math.Atan2(-s.Y, -s.X) + (Gaussian(random) * 0.5); // turn back towards the site
                    }

                    var step = 1 + (random.NextDouble() * 7);
                    s.X += step * Math.Cos(s.Heading);
                    s.Y += step * Math.Sin(s.Heading);
                    s.Z += Gaussian(random) * 0.5;
                    var accuracy = random.NextDouble() < 0.02 ? 150 + (random.NextDouble() * 100) : 3 + (random.NextDouble() * 27);
                    positions[n++] = new BenchPosition(d, s.Home.Lon + (s.X / s.Kx), s.Home.Lat + (s.Y / s.Ky), s.Z, accuracy);
                }
            }
        }

        return positions;
    }

    private static LinearRing Star(GeometryFactory factory, double lon, double lat, double radiusMetres, int vertices, double kx, double ky, Random random)
    {
        var coordinates = new Coordinate[vertices + 1];
        for (var k = 0; k < vertices; k++)
        {
            var a = 2 * Math.PI * k / vertices;
            var r = radiusMetres * (0.7 + (0.3 * random.NextDouble()));
            coordinates[k] = new Coordinate(lon + (r * Math.Cos(a) / kx), lat + (r * Math.Sin(a) / ky));
        }

        coordinates[vertices] = coordinates[0].Copy();
        return factory.CreateLinearRing(coordinates);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private sealed class DeviceState
    {
        public (double Lon, double Lat, double RadiusMetres, int Area) Home { get; init; }

        public double Kx { get; init; }

        public double Ky { get; init; }

        public double Heading { get; set; }

        public double X { get; set; }

        public double Y { get; set; }

        public double Z { get; set; }
    }
}
