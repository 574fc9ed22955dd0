using GeoMine.Geo.Crs;

namespace GeoMine.Geo.Licences;

/// <summary>Finds the Gauss-Kruger system of a licence's corner points from their zone prefix and the options.</summary>
internal static class ZoneResolver
{
    public static SpatialReference? Resolve(IReadOnlyList<CornerRing> rings, LicenceParseOptions options, List<LicenceProblem> errors)
    {
        var points = rings.SelectMany(r => r.Points).ToList();
        var given = (options.Zone is null ? 0 : 1) + (options.CentralMeridianDegrees is null ? 0 : 1) + (options.Srs is null ? 0 : 1);
        if (given > 1)
        {
            errors.Add(new LicenceProblem(0, "give only one of --zone, --cm and --srs"));
            return null;
        }

        var optionZone = OptionZone(options, errors);
        if (optionZone is null && given == 1)
        {
            return null;
        }

        var prefixed = points.Where(p => p.HasZonePrefix).ToList();
        var plain = points.Where(p => !p.HasZonePrefix).ToList();
        if (prefixed.Count > 0 && plain.Count > 0)
        {
            errors.Add(new LicenceProblem(plain[0].LineNumber,
                $"point {plain[0].Label}: Y has 6 digits (no zone prefix) while point {prefixed[0].Label} (line {prefixed[0].LineNumber}) has 8: write all eastings the same way"));
            return null;
        }

        if (plain.Count > 0)
        {
            if (optionZone is null)
            {
                errors.Add(new LicenceProblem(plain[0].LineNumber,
                    $"point {plain[0].Label}: Y (easting) {plain[0].EastingMetres:0.##} has 6 digits, without the zone prefix: give --zone N (3-degree 25-45, 6-degree 13-23) or --cm DEG (or --srs EPSG:n)"));
                return null;
            }

            if (options.Srs is { Prefixed: true })
            {
                errors.Add(new LicenceProblem(plain[0].LineNumber, $"eastings have no zone prefix but {options.Srs} expects one: use the central-meridian system instead"));
                return null;
            }

            return SpatialReference.GaussKruger(optionZone.Value, prefixed: false);
        }

        var zones = prefixed.Select(p => (Point: p, Zone: GaussKrugerZone.FromPrefixedEasting(p.EastingMetres))).ToList();
        if (zones.FirstOrDefault(z => z.Zone is null) is { Point: not null } unknown)
        {
            errors.Add(new LicenceProblem(unknown.Point.LineNumber,
                $"point {unknown.Point.Label}: Y {unknown.Point.EastingMetres:0.##} starts with {(int)(unknown.Point.EastingMetres / 1e6)}, not a CGCS2000 zone (3-degree 25-45, 6-degree 13-23)"));
            return null;
        }

        var zone = zones[0].Zone!.Value;
        if (zones.FirstOrDefault(z => z.Zone != zone) is { Point: not null } other)
        {
            errors.Add(new LicenceProblem(other.Point.LineNumber,
                $"point {other.Point.Label}: zone prefix {other.Zone!.Value.Number} differs from zone {zone.Number} of point {zones[0].Point.Label} (line {zones[0].Point.LineNumber})"));
            return null;
        }

        if (optionZone is { } wanted && wanted.CentralMeridianDegrees != zone.CentralMeridianDegrees)
        {
            errors.Add(new LicenceProblem(prefixed[0].LineNumber,
                $"the eastings' prefix says zone {zone.Number} (CM {zone.CentralMeridianDegrees}°E) but the option says {wanted}"));
            return null;
        }

        return SpatialReference.GaussKruger(zone, prefixed: true);
    }

    private static GaussKrugerZone? OptionZone(LicenceParseOptions options, List<LicenceProblem> errors)
    {
        if (options.Zone is { } number)
        {
            var zone = GaussKrugerZone.TryFromNumber(number);
            if (zone is null)
            {
                errors.Add(new LicenceProblem(0, $"--zone {number}: CGCS2000 zones are 25-45 (3-degree) and 13-23 (6-degree)"));
            }

            return zone;
        }

        if (options.CentralMeridianDegrees is { } cm)
        {
            var zone = GaussKrugerZone.FromCentralMeridian(cm);
            if (zone is null)
            {
                errors.Add(new LicenceProblem(0, $"--cm {cm}: central meridians of CGCS2000 zones are whole degrees 75-135, multiples of 3"));
            }

            return zone;
        }

        if (options.Srs is { } srs)
        {
            if (srs.Zone is null)
            {
                errors.Add(new LicenceProblem(0, $"--srs {srs}: licence corner points are in a Gauss-Kruger system (CGCS2000 EPSG:4491-4554; Xi'an 1980 2327-2390; Beijing 1954 2401-2442, 21413-21483)"));
            }

            return srs.Zone;
        }

        return null;
    }
}
