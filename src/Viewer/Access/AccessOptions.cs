namespace GeoMine.Viewer.Access;

/// <summary>Sign-in settings (configuration section <c>Access</c>).</summary>
public sealed class AccessOptions
{
    /// <summary>Consecutive failed sign-ins that lock an account.</summary>
    public int LockoutAttempts { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A session ends after this long without a request (sliding).</summary>
    public TimeSpan SessionIdle { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long a looked-up user (role, towns, disabled, token revoked) is reused before it is read again.
    /// A disabled user or a revoked token is refused at most this long after the change.</summary>
    public TimeSpan UserCacheTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Shortest password a user may choose.</summary>
    public int MinPasswordLength { get; set; } = 10;
}
