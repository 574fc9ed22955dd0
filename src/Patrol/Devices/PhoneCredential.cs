namespace GeoMine.Patrol.Devices;

/// <summary>
/// What a device key and the token sent with it prove about the sender of a patrol record. Only
/// <see cref="Accepted"/> lets a record through without a user's sign-in: a key alone proves nothing,
/// since device keys are printed on phones and travel in every fix.
/// </summary>
public enum PhoneCredential
{
    /// <summary>A registered, enabled patrol phone with an ingest token, and the token matches.</summary>
    Accepted,

    /// <summary>No device with this key, or one only ever seen sending fixes (never registered).</summary>
    Unknown,

    /// <summary>Registered without an ingest token: it cannot prove who sends in its name.</summary>
    NoToken,

    /// <summary>The token is missing or is not the device's.</summary>
    WrongToken,

    /// <summary>The device was disabled (lost, handed in).</summary>
    Disabled,

    /// <summary>A registered device that is not a patrol phone (vehicle, equipment, tag).</summary>
    NotAPatrolPhone,
}
