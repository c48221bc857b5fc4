namespace Koppel.Core.Connectors;

/// <summary>
/// A connector whose connections are authorised by the user at the provider (OAuth2 authorisation-code flow)
/// rather than with credentials typed into Koppel. <see cref="Dossiers.ConsentService"/> drives the flow; the
/// connector knows the provider's URLs, exchanges the code and keeps the tokens in the secret store.
/// </summary>
public interface IOAuthConsentConnector
{
    /// <summary>Where the user's browser goes to sign in at the provider and allow Koppel access.</summary>
    /// <param name="state">Opaque and tamper-proof; the provider hands it back unchanged to the callback.</param>
    Task<Uri> AuthorizationUrlAsync(ConnectorSettings settings, string state, CancellationToken cancellationToken);

    /// <summary>
    /// Exchanges the authorisation code for tokens and stores them in the secret store. Returns only what the connection
    /// must remember to find them again (never a token), which Koppel keeps with the connection's credentials.
    /// </summary>
    Task<OAuthConsentResult> CompleteConsentAsync(ConnectorSettings settings, string code, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the connection's consent from dying of disuse (Exact's refresh tokens expire after about 30 days unused):
    /// renews it when it was last renewed <paramref name="idleFor"/> or longer ago, the same single-flight way a delivery
    /// renews it. Never throws for what the provider answers: a refusal is <see cref="ConsentUpkeepOutcome.Refused"/>.
    /// </summary>
    Task<ConsentUpkeep> KeepConsentAliveAsync(ConnectorSettings settings, TimeSpan idleFor, CancellationToken cancellationToken) =>
        Task.FromResult(ConsentUpkeep.NotNeeded);

    /// <summary>
    /// The connection <paramref name="holder"/> (<see cref="ConsentHolders.Of"/>) uses the consent its settings name: after
    /// the consent callback, when an import gave a new connection the same consent, or when the daily upkeep meets a
    /// connection made before consents counted their holders. Idempotent. A connector whose consents are never shared
    /// needs nothing here.
    /// </summary>
    Task HoldConsentAsync(ConnectorSettings settings, string holder, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The connection <paramref name="holder"/> no longer uses the consent its settings name (it was deleted, or connected
    /// another account). The consent's tokens are deleted with its last holder. True when they were deleted now.
    /// </summary>
    Task<bool> ReleaseConsentAsync(ConnectorSettings settings, string holder, CancellationToken cancellationToken) => Task.FromResult(false);
}

/// <summary>How a connection names itself as the holder of a shared consent.</summary>
public static class ConsentHolders
{
    public static string Of(Domain.Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return $"{connection.DossierId}/{connection.Id}";
    }
}

public enum ConsentUpkeepOutcome
{
    /// <summary>Used or renewed recently enough, or nothing to keep (no consent given yet).</summary>
    NotNeeded,

    Renewed,

    /// <summary>The provider refused to renew: only a new consent by the user helps.</summary>
    Refused,

    /// <summary>The provider could not be asked now (network, 5xx, another worker renewing); the next run tries again.</summary>
    TryLater,
}

/// <summary>What keeping a consent alive did, with the reason in the user's words when it did not work.</summary>
public sealed record ConsentUpkeep(ConsentUpkeepOutcome Outcome, string? Reason = null)
{
    public static ConsentUpkeep NotNeeded { get; } = new(ConsentUpkeepOutcome.NotNeeded);

    public static ConsentUpkeep Renewed { get; } = new(ConsentUpkeepOutcome.Renewed);
}

/// <summary>The outcome of a completed consent: what the connection keeps (write-only) and a message for the user.</summary>
public sealed record OAuthConsentResult(IReadOnlyDictionary<string, string> ConnectionCredentials, string Message);

/// <summary>The provider refused the consent (bad or expired code, app not allowed); the user must start again.</summary>
public sealed class OAuthConsentRefusedException(string message) : Exception(message);
