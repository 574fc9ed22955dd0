namespace GeoMine.Patrol.Records;

/// <summary>A photo attached to a patrol record: JPEG or PNG, at most <see cref="MaxBytes"/>.</summary>
public sealed record PatrolPhoto(string FileName, byte[] Content)
{
    /// <summary>Largest photo accepted: 5 MiB.</summary>
    public const int MaxBytes = 5 * 1024 * 1024;

    /// <summary>The media type read from the file's own first bytes (never from its name or the sender's
    /// header), or null when it is neither JPEG nor PNG.</summary>
    public string? SniffMediaType() =>
        Content.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : Content.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : null;
}
