namespace GeoMine.Geo.Geofence;

/// <summary>
/// Hashes grid-cell keys (column &lt;&lt; 32 | row). long.GetHashCode is column XOR row, which for the
/// columns and rows of China's cells (≈ 40 000-75 000 and 10 000-30 000) collides massively;
/// Fibonacci hashing spreads them.
/// </summary>
internal sealed class CellKeyComparer : IEqualityComparer<long>
{
    public static CellKeyComparer Instance { get; } = new();

    public bool Equals(long x, long y) => x == y;

    public int GetHashCode(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 32);
}
