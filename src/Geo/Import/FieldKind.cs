namespace GeoMine.Geo.Import;

/// <summary>How a source attribute is converted into a column value.</summary>
public enum FieldKind
{
    /// <summary>Trimmed text; empty becomes null.</summary>
    Text,

    /// <summary>A calendar date (yyyy-MM-dd, yyyy/M/d, yyyyMMdd, yyyy.M.d, yyyy年M月d日).</summary>
    Date,

    /// <summary>A decimal number, invariant culture; a leading '+' and a unit suffix 'm' or '米' are accepted.</summary>
    Number,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>One of a fixed set of codes; Chinese terms are translated to the codes.</summary>
    Code,
}
