using GeoMine.Viewer.Positions;

namespace GeoMine.Viewer.Tests.Positions;

/// <summary>The one-pass reader of <c>POST /api/positions</c> bodies: what it accepts and how it names what it refuses.</summary>
public sealed class BatchRequestTests
{
    [Fact]
    public void Parse_ReadsEveryFieldIgnoresUnknownMembersAndTakesEpochOrIso()
    {
        var fixes = BatchRequest.Parse("""
            [{"device_id": "p1", "time": "2026-11-04T08:00:00+08:00", "lon": 105.9, "lat": 29.3, "altitude_m": 312.5,
              "accuracy_m": 6, "speed_mps": 1.2, "bearing_deg": 90, "battery_pct": 77, "extra": {"nested": [1, {"a": null}]}},
             {"device_id": 12345, "time": 1762214400, "lon": 105.91, "lat": 29.31, "speed_mps": null}]
            """);

        Assert.Equal(2, fixes.Count);
        Assert.Equal(("p1", new DateTime(2026, 11, 4, 0, 0, 0, DateTimeKind.Utc), 105.9, 29.3, 312.5, 6.0, 1.2, 90.0, 77.0),
            (fixes[0].DeviceKey, fixes[0].FixTimeUtc, fixes[0].Longitude, fixes[0].Latitude, fixes[0].AltitudeMetres, fixes[0].AccuracyMetres,
             fixes[0].SpeedMetresPerSecond, fixes[0].BearingDegrees, fixes[0].BatteryPercent));
        Assert.Equal("12345", fixes[1].DeviceKey);
        Assert.Equal(new DateTime(2025, 11, 4, 0, 0, 0, DateTimeKind.Utc), fixes[1].FixTimeUtc); // 1762214400 s after 1970-01-01
        Assert.Null(fixes[1].SpeedMetresPerSecond);
    }

    [Theory]
    [InlineData("""{"device_id": "p1"}""", "body: expected a JSON array of positions")]
    [InlineData("""[{"device_id": "p1", "time": 1762214400, "lon": 105.9, "lat": 29.3}, 7]""", "[1]: expected an object")]
    [InlineData("""[{"time": 1762214400, "lon": 105.9, "lat": 29.3}]""", "[0].device_id: missing")]
    [InlineData("""[{"device_id": " ", "time": 1762214400, "lon": 105.9, "lat": 29.3}]""", "[0].device_id: missing")]
    [InlineData("""[{"device_id": "p1", "lon": 105.9, "lat": 29.3}]""", "[0].time: missing")]
    [InlineData("""[{"device_id": "p1", "time": "yesterday", "lon": 105.9, "lat": 29.3}]""", "[0].time: 'yesterday' is not a time (epoch seconds, epoch milliseconds or ISO-8601)")]
    [InlineData("""[{"device_id": "p1", "time": 1762214400, "lon": "105.9", "lat": 29.3}]""", "[0].lon: \"105.9\" is not a number")]
    [InlineData("""[{"device_id": "p1", "time": 1762214400, "lon": 105.9, "lat": [29.3]}]""", "[0].lat: […] is not a number")]
    [InlineData("""[{"device_id": "p1", "time": 1762214400, "lon": 105.9, "lat": 29.3, "accuracy_m": true}]""", "[0].accuracy_m: true is not a number")]
    [InlineData("""[{"device_id": {"id": 1}, "time": 1762214400, "lon": 105.9, "lat": 29.3}]""", "[0].device_id: expected text")]
    public void Parse_BadInput_NamesTheElementAndField(string body, string message)
    {
        var error = Assert.Throws<FixParseException>(() => BatchRequest.Parse(body));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_NotJson_IsAJsonError()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => BatchRequest.Parse("""[{"device_id": "p1", """));
    }
}
