using GeoMine.Patrol.Tailings;

namespace GeoMine.Patrol.Tests.Tailings;

/// <summary>等别 from the table of the issue (GB 50863): boundaries are inclusive at the lower bound of each class,
/// and volume and height one class apart give the higher class, further apart the higher class lowered by one.</summary>
public sealed class PondClassTests
{
    [Theory]
    [InlineData(99.9, 29.9, 5)]     // 五 / 五
    [InlineData(100, 29.9, 4)]      // 四 by volume at its lower bound, 五 by height: one apart → 四
    [InlineData(99.9, 30, 4)]       // 五 / 四 at the height bound → 四
    [InlineData(1000, 30, 3)]       // 三 / 四 → 三
    [InlineData(999.9, 59.9, 4)]    // 四 / 四
    [InlineData(9999.9, 99.9, 3)]   // 三 / 三 just under the 二 bounds
    [InlineData(10000, 10, 3)]      // 二 / 五: three apart → 二 lowered by one = 三
    [InlineData(10000, 59.9, 3)]    // 二 / 四: two apart → 三
    [InlineData(50, 100, 3)]        // 五 / 二 → 三
    [InlineData(150, 65, 3)]        // 四 / 三 → 三
    [InlineData(10000, 100, 2)]     // 二 / 二
    [InlineData(120, 32, 4)]        // sample YC-TP-02: 四 / 四
    [InlineData(12000, 105, 2)]     // sample YC-TP-06
    public void Compute_VolumeAndHeight_GivesTheClassOfTheTable(double storage, double height, int expected) =>
        Assert.Equal(expected, PondClass.Compute(storage, height).Value);

    [Fact]
    public void Compute_OnlyOneMeasureKnown_UsesItAndSaysSo()
    {
        var byHeight = PondClass.Compute(null, 65);
        Assert.Equal(3, byHeight.Value);
        Assert.Contains("height only", byHeight.Basis, StringComparison.Ordinal);
        var none = PondClass.Compute(null, null);
        Assert.Null(none.Value);
        Assert.Equal("unknown", none.Label);
    }

    [Fact]
    public void Compute_NeverGivesClassOneWithoutAnOverride_AndAnOverrideWinsAndIsShown()
    {
        Assert.Equal(2, PondClass.Compute(1e6, 300).Value);
        var overridden = PondClass.Compute(1e6, 300, new ClassOverride(1, "失事后对下游城镇造成特别严重灾害 (GB 50863)", "县应急局 王工", DateTime.UtcNow));
        Assert.Equal(1, overridden.Value);
        Assert.Equal("一等", overridden.Label);
        Assert.Contains("override", overridden.Basis, StringComparison.Ordinal);
        Assert.Equal(2, overridden.ByVolume);
    }

    [Theory]
    [InlineData("一", 1)]
    [InlineData("三等", 3)]
    [InlineData("5", 5)]
    public void ParseValue_ChineseOrArabic(string text, int expected) => Assert.Equal(expected, PondClass.ParseValue(text));

    [Fact]
    public void ParseValue_Nonsense_IsRefused() => Assert.Throws<FormatException>(() => PondClass.ParseValue("六"));
}
