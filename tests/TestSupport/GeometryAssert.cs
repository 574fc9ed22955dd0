using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Xunit;

namespace GeoMine.TestSupport;

/// <summary>Geometry comparisons on normalised geometries (as NetTopologySuite's GeometryTestCase).</summary>
public static class GeometryAssert
{
    /// <summary>Asserts <paramref name="actual"/> equals the WKT within <paramref name="tolerance"/>
    /// (in the geometry's units) after normalisation, and reports both when not.</summary>
    public static void EqualNormalized(string expectedWkt, Geometry actual, double tolerance = 0)
    {
        var expected = new WKTReader().Read(expectedWkt);
        EqualNormalized(expected, actual, tolerance);
    }

    /// <summary>Asserts both geometries are equal within <paramref name="tolerance"/> after normalisation.</summary>
    public static void EqualNormalized(Geometry expected, Geometry actual, double tolerance = 0)
    {
        var e = expected.Normalized();
        var a = actual.Normalized();
        Assert.True(e.EqualsExact(a, tolerance), $"expected {e.AsText()}\n  actual {a.AsText()}");
    }
}
