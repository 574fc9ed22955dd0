using GeoMine.Patrol.Monitoring;

namespace GeoMine.Patrol.Tests.Monitoring;

public sealed class MonitoringThresholdsTests
{
    // Phreatic line depth below the dam slope (m): the shallower, the worse.
    private static readonly MonitoringThresholds Phreatic = new(6.0, 5.0, 4.0, 3.0, ThresholdDirection.Below);

    // Surface displacement (mm): the larger, the worse.
    private static readonly MonitoringThresholds Displacement = new(20, 30, 40, 50, ThresholdDirection.Above);

    [Theory]
    [InlineData(7.2, WarningLevel.Normal)]
    [InlineData(6.01, WarningLevel.Normal)]
    [InlineData(6.0, WarningLevel.Blue)]     // reaching the value is reaching the level
    [InlineData(5.5, WarningLevel.Blue)]
    [InlineData(4.9, WarningLevel.Yellow)]
    [InlineData(4.0, WarningLevel.Orange)]
    [InlineData(2.1, WarningLevel.Red)]
    public void LevelOf_PhreaticDepth_AlarmsWhenTooShallow(double metres, WarningLevel expected) =>
        Assert.Equal(expected, Phreatic.LevelOf(metres));

    [Theory]
    [InlineData(3, WarningLevel.Normal)]
    [InlineData(19.99, WarningLevel.Normal)]
    [InlineData(20, WarningLevel.Blue)]
    [InlineData(35, WarningLevel.Yellow)]
    [InlineData(49.9, WarningLevel.Orange)]
    [InlineData(50, WarningLevel.Red)]
    [InlineData(-80, WarningLevel.Normal)]
    public void LevelOf_SurfaceDisplacement_AlarmsWhenTooLarge(double millimetres, WarningLevel expected) =>
        Assert.Equal(expected, Displacement.LevelOf(millimetres));

    [Fact]
    public void LevelOf_OnlyYellowAndRedGiven_SkipsTheMissingLevels()
    {
        var dryBeach = new MonitoringThresholds(null, 70, null, 50, ThresholdDirection.Below);

        Assert.Equal(WarningLevel.Normal, dryBeach.LevelOf(75));
        Assert.Equal(WarningLevel.Yellow, dryBeach.LevelOf(55));
        Assert.Equal(WarningLevel.Red, dryBeach.LevelOf(50));
    }

    [Fact]
    public void Problems_RedBelowYellowForAnAboveItem_NamesRed()
    {
        var problems = new MonitoringThresholds(20, 30, 40, 25, ThresholdDirection.Above).Problems();

        Assert.Equal("red: 25 must be above orange 40 (direction above: higher values are worse)", Assert.Single(problems));
    }

    [Fact]
    public void Problems_RisingValuesForABelowItem_NamesEachLevelOutOfOrder()
    {
        var problems = new MonitoringThresholds(3, 4, 5, 6, ThresholdDirection.Below).Problems();

        Assert.Equal(3, problems.Count);
        Assert.StartsWith("yellow: 4 must be below blue 3", problems[0]);
    }

    [Fact]
    public void Problems_EqualNeighbours_AreRefused() =>
        Assert.Single(new MonitoringThresholds(null, 30, 30, null, ThresholdDirection.Above).Problems());

    [Fact]
    public void Problems_NoValue_AsksForOne() =>
        Assert.Single(new MonitoringThresholds(null, null, null, null, ThresholdDirection.Above).Problems());

    [Fact]
    public void Problems_MonotoneValues_None() =>
        Assert.Empty(Phreatic.Problems());

    [Theory]
    [InlineData("water_level", 312.4, "m", 312.4)]
    [InlineData("phreatic_depth", 560, "cm", 5.6)]
    [InlineData("dry_beach_length", 85000, "mm", 85)]
    [InlineData("surface_displacement", 1.2, "cm", 12)]
    [InlineData("internal_displacement", 0.004, "m", 4)]
    [InlineData("seepage", 36, "m³/h", 10)]        // 36 000 L / 3 600 s
    [InlineData("seepage", 7.2, "m3/h", 2)]
    [InlineData("pore_pressure", 0.25, "MPa", 250)]
    [InlineData("rainfall", 42.5, "mm", 42.5)]
    public void TryToCanonical_AcceptedUnit_ConvertsToTheItemsUnit(string item, double value, string unit, double expected)
    {
        Assert.True(MonitoringItem.Get(item).TryToCanonical(value, unit, out var canonical));
        Assert.Equal(expected, canonical, 9);
    }

    [Theory]
    [InlineData("water_level", "ft")]
    [InlineData("rainfall", "cm")]        // rain is reported in mm; anything else is a sender's mistake
    [InlineData("pore_pressure", "kpa")]  // units are case-sensitive: mPa is not MPa
    [InlineData("seepage", "L/min")]
    public void TryToCanonical_OtherUnit_Refused(string item, string unit) =>
        Assert.False(MonitoringItem.Get(item).TryToCanonical(1, unit, out _));
}
