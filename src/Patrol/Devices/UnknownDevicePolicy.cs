namespace GeoMine.Patrol.Devices;

/// <summary>Whether a request may register device keys never seen before, and how many per client address and hour.</summary>
/// <param name="Register">False: unseen keys are not registered (their fixes are refused by the caller).</param>
/// <param name="ClientAddress">The sender's address; null for trusted callers (imports, tests) with no allowance.</param>
/// <param name="MaxNewPerAddressPerHour">The hourly allowance of new keys for <paramref name="ClientAddress"/>.</param>
public sealed record UnknownDevicePolicy(bool Register, string? ClientAddress, int MaxNewPerAddressPerHour)
{
    /// <summary>Register every unseen key (imports and tools run by an operator).</summary>
    public static UnknownDevicePolicy Keep { get; } = new(true, null, int.MaxValue);
}
