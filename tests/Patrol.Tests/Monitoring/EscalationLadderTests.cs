using GeoMine.Patrol.Monitoring;

namespace GeoMine.Patrol.Tests.Monitoring;

/// <summary>
/// GB 39496-2020 5.5.4 worked by hand. Notation: one letter per point (or item) at that level — B blue, Y yellow,
/// O orange, R red, N normal. Each expected level was counted on paper: every 4 B count as 1 Y, every 3 Y (own or
/// counted) as 1 O, every 2 O (own or counted) as 1 R; the result is the highest level with at least one.
/// </summary>
public sealed class EscalationLadderTests
{
    [Theory]
    [InlineData("", WarningLevel.Normal)]
    [InlineData("NNNNNN", WarningLevel.Normal)]
    [InlineData("B", WarningLevel.Blue)]
    [InlineData("BBB", WarningLevel.Blue)]            // 3 blue: not yet 4
    [InlineData("BBBB", WarningLevel.Yellow)]         // 4 blue points → the item is yellow
    [InlineData("BBBBNNN", WarningLevel.Yellow)]      // normal points do not count
    [InlineData("BBBBBBB", WarningLevel.Yellow)]      // 7 blue = 1 yellow (+3 blue left over)
    [InlineData("BBBBBBBB", WarningLevel.Yellow)]     // 8 blue = 2 yellow, not yet 3
    [InlineData("BBBBBBBBBBBB", WarningLevel.Orange)] // 12 blue = 3 yellow = 1 orange
    [InlineData("Y", WarningLevel.Yellow)]            // a single yellow point is a yellow item
    [InlineData("BBBY", WarningLevel.Yellow)]         // 3 blue do not carry; the yellow point is the highest
    [InlineData("YY", WarningLevel.Yellow)]
    [InlineData("YYY", WarningLevel.Orange)]          // 3 yellow → orange
    [InlineData("BBBBYY", WarningLevel.Orange)]       // 4 blue count as 1 yellow: 3 yellow → orange
    [InlineData("BBBYY", WarningLevel.Yellow)]        // only 2 yellow: the 3 blue are not 4
    [InlineData("O", WarningLevel.Orange)]
    [InlineData("OY", WarningLevel.Orange)]
    [InlineData("OO", WarningLevel.Red)]              // 2 orange → red
    [InlineData("OYYY", WarningLevel.Red)]            // 3 yellow count as 1 orange: 2 orange → red
    [InlineData("OYY", WarningLevel.Orange)]
    [InlineData("OBBBBYY", WarningLevel.Red)]         // 4 B → Y; 3 Y → O; 2 O → R
    [InlineData("R", WarningLevel.Red)]               // a single red is red
    [InlineData("RNNNN", WarningLevel.Red)]
    public void Combine_CountedByHand_GivesTheStandardsLevel(string levels, WarningLevel expected)
    {
        var parsed = levels.Select(c => c switch
        {
            'N' => WarningLevel.Normal,
            'B' => WarningLevel.Blue,
            'Y' => WarningLevel.Yellow,
            'O' => WarningLevel.Orange,
            'R' => WarningLevel.Red,
            _ => throw new ArgumentException($"bad level letter {c}"),
        });

        Assert.Equal(expected, EscalationLadder.Combine(parsed));
    }

    [Fact]
    public void Combine_PondFromItems_FourBlueItemsCountAsOneYellowItem()
    {
        // Items, each already rated from its points: water level blue, dry beach blue, phreatic depth blue (from 3 blue
        // points — not 4), surface displacement blue. 4 blue items → the pond counts one yellow item → yellow.
        var water = EscalationLadder.Combine([WarningLevel.Blue]);
        var beach = EscalationLadder.Combine([WarningLevel.Blue, WarningLevel.Normal]);
        var phreatic = EscalationLadder.Combine([WarningLevel.Blue, WarningLevel.Blue, WarningLevel.Blue]);
        var surface = EscalationLadder.Combine([WarningLevel.Blue]);

        Assert.Equal(WarningLevel.Blue, phreatic);
        Assert.Equal(WarningLevel.Yellow, EscalationLadder.Combine([water, beach, phreatic, surface]));
        Assert.Equal(WarningLevel.Blue, EscalationLadder.Combine([water, beach, phreatic]));
    }
}
