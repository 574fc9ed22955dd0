namespace GeoMine.Patrol.Detection;

/// <summary>
/// Debounce for one condition of one device (e.g. "outside its licence"): fed every fix in time order
/// with true (condition holds), false (clearly not) or null (cannot tell: uncertain position, no
/// height). Opens after <c>openAfterFixes</c> consecutive true fixes or <c>openAfter</c> of time, stays one
/// episode while it holds, and ends after <c>closeAfter</c> of clear false. Serialisable (state survives restarts).
/// </summary>
public sealed class EpisodeTracker
{
    /// <summary>First fix of the current run of true fixes.</summary>
    public DateTime? Since { get; set; }

    /// <summary>Last fix for which the condition held.</summary>
    public DateTime? LastTrue { get; set; }

    /// <summary>True fixes in the current run.</summary>
    public int Count { get; set; }

    /// <summary>An alarm episode is running.</summary>
    public bool Open { get; set; }

    /// <summary>Since when the condition has been clearly false while open.</summary>
    public DateTime? ClearSince { get; set; }

    /// <summary>Last time a fix was added to the alarm's evidence.</summary>
    public DateTime? LastEvidence { get; set; }

    /// <summary>What a fix did to the episode.</summary>
    public enum Step
    {
        /// <summary>Nothing to tell the alarm table.</summary>
        None,

        /// <summary>The condition is now confirmed: raise.</summary>
        Opened,

        /// <summary>Still holding: extend the running alarm.</summary>
        Continued,

        /// <summary>Over: end the episode.</summary>
        Ended,
    }

    /// <summary>Feeds one fix.</summary>
    public Step Feed(DateTime at, bool? holds, int openAfterFixes, TimeSpan openAfter, TimeSpan closeAfter, TimeSpan maxGap)
    {
        if (holds is null)
        {
            return Step.None;
        }

        if (holds.Value)
        {
            ClearSince = null;
            if (Since is null || (!Open && LastTrue is { } last && at - last > maxGap))
            {
                (Since, Count) = (at, 0);
            }

            Count++;
            LastTrue = at;
            if (Open)
            {
                return Step.Continued;
            }

            if (Count >= openAfterFixes || at - Since >= openAfter)
            {
                Open = true;
                return Step.Opened;
            }

            return Step.None;
        }

        if (!Open)
        {
            (Since, LastTrue, Count) = (null, null, 0);
            return Step.None;
        }

        ClearSince ??= at;
        if (at - ClearSince.Value < closeAfter)
        {
            return Step.None;
        }

        (Since, LastTrue, Count, Open, ClearSince, LastEvidence) = (null, null, 0, false, null, null);
        return Step.Ended;
    }
}
