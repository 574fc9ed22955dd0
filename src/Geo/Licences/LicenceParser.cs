using System.Globalization;
using GeoMine.Geo.Crs;
using GeoMine.Geo.Storage;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace GeoMine.Geo.Licences;

/// <summary>
/// Licence text → licensed area: reads the text (<see cref="LicenceTextReader"/>), finds the Gauss-Kruger
/// system, validates every ring (<see cref="CornerRingValidator"/>), builds one Polygon or MultiPolygon per
/// block (rings of the same block inside another of its rings, or flagged −1, are holes) and converts
/// it to EPSG:4490. Areas are computed in the Gauss-Kruger plane of the licence, as the bureau does.
/// Every problem is collected and thrown together.
/// </summary>
public static class LicenceParser
{
    /// <summary>Stated and computed areas may differ by this fraction (0.5 %).</summary>
    public const double AreaToleranceFraction = 0.005;

    /// <summary>Parses a licence text.</summary>
    /// <exception cref="LicenceException">The text cannot be read as a licensed area; all problems listed.</exception>
    public static LicensedArea Parse(string text, LicenceParseOptions? options = null)
    {
        options ??= new LicenceParseOptions();
        var content = LicenceTextReader.Read(text);
        var errors = new List<LicenceProblem>(content.Errors);
        var warnings = new List<LicenceProblem>(content.Warnings);
        if (content.StatedElevation is { } sentence && sentence.UpperMetres < sentence.LowerMetres)
        {
            warnings.Add(new LicenceProblem(sentence.Line, string.Create(CultureInfo.InvariantCulture,
                $"elevation range written lower first ({sentence.UpperMetres}, {sentence.LowerMetres}): read by meaning, {sentence.LowerMetres} m upper to {sentence.UpperMetres} m lower")));
        }
        if (content.Rings.Count == 0 && errors.Count == 0)
        {
            errors.Add(new LicenceProblem(0, "no corner points (拐点坐标) found: expected lines such as '1,4507088.2206,41473349.922' or 'J1 3301996.14 41405667.12'"));
        }

        var (datum, shift) = Datum(content, options, errors);
        var system = errors.Count == 0 ? ZoneResolver.Resolve(content.Rings, options, errors) : null;
        if (system is null)
        {
            throw Fail(errors);
        }

        var srs = SpatialReference.GaussKruger(system.Zone!.Value, system.Prefixed, datum);
        if (!content.DeclaresCgcs2000 && !datum.IsLegacy)
        {
            warnings.Add(new LicenceProblem(0, $"the text does not name its coordinate system: read as CGCS2000 ({srs}); refuse the result if the licence predates 2000国家大地坐标系"));
        }

        var projection = CoordinateConverter.Projection(srs.Zone!.Value, srs.Prefixed, datum, shift);
        var rings = new List<(CornerRing Ring, LinearRing Plane)>();
        foreach (var ring in content.Rings)
        {
            var plane = CornerRingValidator.Validate(ring, projection, errors);
            if (plane is not null)
            {
                rings.Add((ring, plane));
            }
        }

        var blocks = new List<LicenceBlock>();
        foreach (var group in rings.GroupBy(r => r.Ring.BlockName ?? content.Particulars.MineName ?? "矿区范围"))
        {
            var block = BuildBlock(group.Key, [.. group], content, projection, errors);
            if (block is not null)
            {
                blocks.Add(block);
            }
        }

        if (errors.Count == 0 && content.StatedArea is { } stated)
        {
            var computed = blocks.Sum(b => b.AreaSquareKilometres);
            if (Math.Abs(computed - stated.SquareKilometres) > AreaToleranceFraction * stated.SquareKilometres)
            {
                errors.Add(new LicenceProblem(stated.Line, string.Create(CultureInfo.InvariantCulture,
                    $"stated area {stated.SquareKilometres:0.####} km² differs from the area of the corner points, {computed:0.####} km² (Gauss-Kruger plane), by {100 * (computed - stated.SquareKilometres) / stated.SquareKilometres:+0.00;-0.00} % (more than 0.5 %): a corner point is probably mistyped")));
            }
        }

        if (errors.Count > 0)
        {
            throw Fail(errors);
        }

        return new LicensedArea
        {
            Particulars = content.Particulars, SourceSrs = srs, DatumShift = shift, Blocks = blocks, Warnings = warnings,
        };
    }

    /// <summary>The datum of the corner points: the one the text declares, else that of <c>--srs</c>, else CGCS2000; an old one
    /// with the transformation the options name (an error with what to do when none fits).</summary>
    private static (GeodeticDatum Datum, DatumTransformation? Shift) Datum(LicenceTextContent content, LicenceParseOptions options, List<LicenceProblem> errors)
    {
        var declared = content.DeclaredLegacyDatum;
        var line = declared?.Line ?? 0;
        if (declared is { } d && content.DeclaresCgcs2000)
        {
            errors.Add(new LicenceProblem(d.Line, $"the text declares both '{d.Words}' and CGCS2000 (2000国家大地坐标系): which one are the corner points in?"));
            return (GeodeticDatum.Cgcs2000, null);
        }

        if (declared is { } text && options.Srs is { } srs && srs.Datum != text.Datum)
        {
            errors.Add(new LicenceProblem(text.Line, $"the text declares '{text.Words}' ({text.Datum.Name}) but --srs {srs} is {srs.Datum.Name}"));
            return (GeodeticDatum.Cgcs2000, null);
        }

        var datum = declared?.Datum ?? options.Srs?.Datum ?? GeodeticDatum.Cgcs2000;
        if (!datum.IsLegacy)
        {
            return (datum, null);
        }

        try
        {
            var what = declared is { } w ? $"the licence ('{w.Words}', line {w.Line})" : $"the licence (--srs {options.Srs})";
            return (datum, DatumTransformation.Choose(options.Transformations, options.DatumTransform, datum, what));
        }
        catch (FormatException e)
        {
            errors.Add(new LicenceProblem(line, e.Message));
            return (datum, null);
        }
    }

    private static LicenceBlock? BuildBlock(
        string name, List<(CornerRing Ring, LinearRing Plane)> rings, LicenceTextContent content,
        GaussKrugerProjection projection, List<LicenceProblem> errors)
    {
        var first = rings[0].Ring;
        var upper = first.UpperMetres ?? content.StatedElevation?.UpperMetres;
        var lower = first.LowerMetres ?? content.StatedElevation?.LowerMetres;
        if (upper is null || lower is null)
        {
            errors.Add(new LicenceProblem(first.EndLine,
                $"block {name}: no licensed elevation range: expected a ring end line '*,upper,lower,name,1,' or a sentence such as 开采标高自+77米至+3.94米"));
            return null;
        }

        var factory = GeometryWkb.Factory;
        var shells = rings.Where(r => !r.Ring.IsExcluded).OrderByDescending(r => factory.CreatePolygon(r.Plane).Area).ToList();
        var holes = shells.Select(_ => new List<LinearRing>()).ToList();
        var outer = new List<int>();
        for (var i = 0; i < shells.Count; i++)
        {
            var container = outer.FirstOrDefault(o => factory.CreatePolygon(shells[o].Plane).Contains(factory.CreatePolygon(shells[i].Plane)), -1);
            if (container >= 0)
            {
                holes[container].Add(shells[i].Plane);
            }
            else
            {
                outer.Add(i);
            }
        }

        foreach (var (ring, plane) in rings.Where(r => r.Ring.IsExcluded))
        {
            var container = outer.FirstOrDefault(o => factory.CreatePolygon(shells[o].Plane).Contains(factory.CreatePolygon(plane)), -1);
            if (container < 0)
            {
                errors.Add(new LicenceProblem(ring.EndLine, $"block {name}: excluded ring (flag −1) ending here lies in no ring of its block"));
                return null;
            }

            holes[container].Add(plane);
        }

        var polygons = outer.Select(o => factory.CreatePolygon(shells[o].Plane, [.. holes[o]])).ToArray();
        Geometry plane2d = polygons.Length == 1 ? polygons[0] : factory.CreateMultiPolygon(polygons);
        if (new IsValidOp(plane2d).ValidationError is { } invalid)
        {
            errors.Add(new LicenceProblem(first.EndLine, string.Create(CultureInfo.InvariantCulture,
                $"block {name}: rings do not form a valid area ({invalid.Message} near X {invalid.Coordinate.Y:0.##}, Y {invalid.Coordinate.X:0.##})")));
            return null;
        }

        var geographic = plane2d.Copy();
        geographic.Apply(new InverseProjectionFilter(projection));
        geographic.SRID = Srid.Cgcs2000;
        var vertices = rings.Sum(r => r.Ring.Points.Count);
        return new LicenceBlock(name, Math.Max(upper.Value, lower.Value), Math.Min(upper.Value, lower.Value),
            geographic, plane2d, Math.Round(plane2d.Area / 1e6, 4), vertices);
    }

    private static LicenceException Fail(List<LicenceProblem> errors) =>
        new($"licence text refused: {errors.Count} problem(s); first: {errors[0]}", errors);

    private sealed class InverseProjectionFilter(GaussKrugerProjection projection) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (lon, lat) = projection.Inverse(seq.GetX(i), seq.GetY(i));
                seq.SetX(i, lon);
                seq.SetY(i, lat);
            }
        }
    }
}
