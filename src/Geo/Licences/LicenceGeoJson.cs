using System.Text.Encodings.Web;
using System.Text.Json;
using NetTopologySuite.Geometries;

namespace GeoMine.Geo.Licences;

/// <summary>
/// Writes a <see cref="LicensedArea"/> as a GeoJSON FeatureCollection, one Feature per block, coordinates
/// in EPSG:4490 as [longitude, latitude] (RFC 7946 order) with 9 decimals (≈ 0.1 mm). Properties:
/// licence_no, block, upper_m, lower_m, area_km2 (4 decimals, Gauss-Kruger plane of the licence,
/// named in area_basis), vertex_count, source_srs.
/// </summary>
public static class LicenceGeoJson
{
    /// <summary>The FeatureCollection as compact UTF-8 JSON text (Chinese names unescaped).</summary>
    public static string Write(LicensedArea area)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartArray("features");
            foreach (var block in area.Blocks)
            {
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WritePropertyName("geometry");
                WriteGeometry(json, block.Geometry);
                json.WriteStartObject("properties");
                json.WriteString("licence_no", area.Particulars.LicenceNo);
                json.WriteString("block", block.Name);
                json.WriteNumber("upper_m", block.UpperMetres);
                json.WriteNumber("lower_m", block.LowerMetres);
                json.WriteNumber("area_km2", Math.Round(block.AreaSquareKilometres, 4));
                json.WriteString("area_basis", $"plane of {area.SourceSrs} ({area.SourceSrs.Zone})");
                json.WriteNumber("vertex_count", block.VertexCount);
                json.WriteString("source_srs", area.SourceSrs.ToString());
                if (area.DatumShift is { } shift)
                {
                    json.WriteString("datum_transform", shift.Describe());
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteGeometry(Utf8JsonWriter json, Geometry geometry)
    {
        json.WriteStartObject();
        json.WriteString("type", geometry is Polygon ? "Polygon" : "MultiPolygon");
        json.WriteStartArray("coordinates");
        if (geometry is Polygon polygon)
        {
            WritePolygon(json, polygon);
        }
        else
        {
            for (var i = 0; i < geometry.NumGeometries; i++)
            {
                json.WriteStartArray();
                WritePolygon(json, (Polygon)geometry.GetGeometryN(i));
                json.WriteEndArray();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WritePolygon(Utf8JsonWriter json, Polygon polygon)
    {
        // RFC 7946: exterior rings counter-clockwise, holes clockwise.
        var oriented = (Polygon)polygon.Copy();
        oriented.Normalize();
        WriteRing(json, (LinearRing)oriented.ExteriorRing.Reverse());
        foreach (var hole in oriented.InteriorRings)
        {
            WriteRing(json, (LinearRing)hole.Reverse());
        }
    }

    private static void WriteRing(Utf8JsonWriter json, LinearRing ring)
    {
        json.WriteStartArray();
        foreach (var c in ring.Coordinates)
        {
            json.WriteStartArray();
            json.WriteNumberValue(Math.Round(c.X, 9));
            json.WriteNumberValue(Math.Round(c.Y, 9));
            json.WriteEndArray();
        }

        json.WriteEndArray();
    }
}
