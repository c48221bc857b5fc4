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
}

/// <summary>The outcome of a completed consent: what the connection keeps (write-only) and a message for the user.</summary>
public sealed record OAuthConsentResult(IReadOnlyDictionary<string, string> ConnectionCredentials, string Message);

/// <summary>The provider refused the consent (bad or expired code, app not allowed); the user must start again.</summary>
public sealed class OAuthConsentRefusedException(string message) : Exception(message);
