namespace GeoMine.Patrol.Monitoring;

/// <summary>
/// The escalation ladder of GB 39496-2020 5.5.4, as one pure counting rule used at both tiers: the points of one
/// item give the item's level, the item levels of one pond give the pond's comprehensive level (尾矿库安全状况).
/// <para>
/// The standard: when the points of one item reach 4 blue warnings the item is yellow, 3 yellow → orange, 2 orange
/// → red; across items 4 blue items "count as" (计为) one yellow item, and so on. GeoMine reads "count as"
/// literally at both tiers: every 4 blue count as one more yellow, every 3 yellow (own or counted) as one more
/// orange, every 2 orange (own or counted) as one more red, and the result is the highest level that has at least
/// one (own or counted). So a single red is red, a single yellow is yellow, 4 blue + 2 yellow = 3 yellow →
/// orange, 12 blue → 3 yellow → orange, 3 yellow + 1 orange → 2 orange → red. A point counts only at its own
/// level (a yellow point is not also a blue one), so nothing is counted twice.
/// </para>
/// <para>
/// This is never lower than the other common reading (count points at or above a level, no carrying) and is
/// higher in cases like 4 blue + 2 yellow; the standard's "计为" and the side of safety both point to carrying.
/// </para>
/// </summary>
public static class EscalationLadder
{
    /// <summary>Blue warnings that count as one yellow.</summary>
    public const int BluePerYellow = 4;

    /// <summary>Yellow warnings that count as one orange.</summary>
    public const int YellowPerOrange = 3;

    /// <summary>Orange warnings that count as one red.</summary>
    public const int OrangePerRed = 2;

    /// <summary>The combined level of <paramref name="levels"/> (points of one item, or items of one pond);
    /// normal entries are ignored; an empty list is normal.</summary>
    public static WarningLevel Combine(IEnumerable<WarningLevel> levels)
    {
        int blue = 0, yellow = 0, orange = 0, red = 0;
        foreach (var level in levels)
        {
            switch (level)
            {
                case WarningLevel.Blue: blue++; break;
                case WarningLevel.Yellow: yellow++; break;
                case WarningLevel.Orange: orange++; break;
                case WarningLevel.Red: red++; break;
            }
        }

        yellow += blue / BluePerYellow;
        orange += yellow / YellowPerOrange;
        red += orange / OrangePerRed;
        return red > 0 ? WarningLevel.Red
            : orange > 0 ? WarningLevel.Orange
            : yellow > 0 ? WarningLevel.Yellow
            : blue > 0 ? WarningLevel.Blue
            : WarningLevel.Normal;
    }
}
