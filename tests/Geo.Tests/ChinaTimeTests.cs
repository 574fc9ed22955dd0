namespace GeoMine.Geo.Tests;

/// <summary>Times people type: China time when no offset is written, and only years a mine register can mean.
/// Expected instants are worked by hand (China time = UTC + 8 h, no daylight saving).</summary>
public sealed class ChinaTimeTests
{
    [Theory]
    [InlineData("2026-11-20T09:30", 2026, 11, 20, 1, 30)]            // no offset: China time
    [InlineData("2026-11-20T09:30:00+08:00", 2026, 11, 20, 1, 30)]
    [InlineData("2026-11-20T01:30:00Z", 2026, 11, 20, 1, 30)]
    [InlineData("1900-01-01T08:00", 1900, 1, 1, 0, 0)]               // the first instant of the range, China time
    [InlineData("2199-12-31T23:59", 2199, 12, 31, 15, 59)]
    public void TryParseIso_WithinTheYears_GivesUtc(string text, int year, int month, int day, int hour, int minute)
    {
        Assert.True(ChinaTime.TryParseIso(text, out var utc));
        Assert.Equal(new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc), utc);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00")]      // before the first representable UTC instant once shifted by 8 h
    [InlineData("1899-12-31T23:59")]
    [InlineData("2200-01-01T00:00")]
    [InlineData("9999-12-31T23:59:59")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("yesterday")]
    public void TryParseIso_OutsideTheYearsOrNotATime_IsFalse(string text) => Assert.False(ChinaTime.TryParseIso(text, out _));

    [Theory]
    [InlineData("2026-09-01", true)]
    [InlineData("1900-01-01", true)]
    [InlineData("0001-01-01", false)]
    [InlineData("9999-12-31", false)]
    [InlineData("2026-13-01", false)]
    [InlineData("2026-09-01T00:00", false)]
    public void TryParseDay_TakesOnlyDaysWithinTheYears(string text, bool taken) => Assert.Equal(taken, ChinaTime.TryParseDay(text, out _));
}
