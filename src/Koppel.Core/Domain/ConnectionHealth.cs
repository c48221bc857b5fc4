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

    /// <summary>The provider answered with an error worth retrying (5xx, throttling): deliveries wait and retry.</summary>
    Degraded,

    /// <summary>The provider's daily quota is used up: deliveries wait for the next day's calls.</summary>
    QuotaExhausted,

    /// <summary>The provider could not be reached at all (network, DNS, timeout): deliveries wait and retry.</summary>
    Unreachable,
}

/// <summary>
/// Whether a connection worked the last time it was used, and why not. Set by deliveries, payment polls, syncs and
/// connection tests, so a broken connection shows on the connection itself, not only on each failed delivery.
/// </summary>
public sealed record ConnectionHealth(ConnectionHealthStatus Status, string? Reason, DateTimeOffset Since)
{
    public static ConnectionHealth Unknown { get; } = new(ConnectionHealthStatus.Unknown, null, DateTimeOffset.MinValue);

    /// <summary>
    /// A warning ahead of trouble while the connection still works (e.g. a Yuki domain above 80 % of its daily quota).
    /// Set and cleared by the daily check that raised it, not by deliveries.
    /// </summary>
    public string? Warning { get; init; }

    public DateTimeOffset? WarnedAt { get; init; }

    /// <summary>Neither healthy nor untried, or warned: what the morning list of connections to look at shows.</summary>
    public bool NeedsLooking => Status is not (ConnectionHealthStatus.Healthy or ConnectionHealthStatus.Unknown) || Warning is not null;

    /// <summary>Only a person can mend it (new credentials, a new consent); a retry will not.</summary>
    public bool NeedsAPerson => Status is ConnectionHealthStatus.Broken or ConnectionHealthStatus.NeedsConsent;
}
