namespace GeoMine.Viewer.Access;

/// <summary>Sign-in settings (configuration section <c>Access</c>).</summary>
public sealed class AccessOptions
{
    /// <summary>Failed sign-ins of one name from one client address within <see cref="LockoutDuration"/> that pause sign-in
    /// for that name from that address.</summary>
    public int LockoutAttempts { get; set; } = 5;

    /// <summary>Failed sign-ins from one client address (any names) within <see cref="LockoutDuration"/> that pause sign-in from
    /// that address (password spraying).</summary>
    public int AddressLockoutAttempts { get; set; } = 20;

    /// <summary>Failed sign-ins of one name from all addresses within <see cref="LockoutDuration"/> that pause sign-in for that
    /// name everywhere (a distributed guess); well above <see cref="LockoutAttempts"/>, so one machine cannot lock anybody out.</summary>
    public int AccountLockoutAttempts { get; set; } = 50;

    /// <summary>The window failures are counted in, and so how long a pause lasts after the last failure.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A session ends after this long without a request (sliding).</summary>
    public TimeSpan SessionIdle { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long a looked-up user (role, towns, disabled, token revoked) is reused before it is read again.
    /// A disabled user or a revoked token is refused at most this long after the change.</summary>
    public TimeSpan UserCacheTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Shortest password a user may choose.</summary>
    public int MinPasswordLength { get; set; } = 10;
}
