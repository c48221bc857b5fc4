namespace Koppel.Core.Domain;

public enum ConnectionHealthStatus
{
    /// <summary>Nothing has been tried with the current settings yet.</summary>
    Unknown,

    Healthy,

    /// <summary>The provider refused the credentials or the target (wrong key, administration gone): a person must act.</summary>
    Broken,

    /// <summary>An OAuth consent expired or was revoked: the user must consent again.</summary>
    NeedsConsent,
}

/// <summary>
/// Whether a connection worked the last time it was used, and why not. Set by deliveries and connection tests,
/// so a broken connection shows on the connection itself, not only on each failed delivery.
/// </summary>
public sealed record ConnectionHealth(ConnectionHealthStatus Status, string? Reason, DateTimeOffset Since)
{
    public static ConnectionHealth Unknown { get; } = new(ConnectionHealthStatus.Unknown, null, DateTimeOffset.MinValue);
}
