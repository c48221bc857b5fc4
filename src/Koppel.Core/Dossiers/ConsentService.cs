using System.Security.Cryptography;
using System.Text.Json;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Security;

namespace Koppel.Core.Dossiers;

/// <summary>Where to send the user's browser to connect a connection to its provider.</summary>
public sealed record ConsentStart(string DossierId, string ConnectionId, Uri AuthorizationUrl);

/// <summary>A consent that was completed: which connection it connected, and the provider's message. Never a token.</summary>
public sealed record ConsentCompleted(string DossierId, string ConnectionId, string Message);

/// <summary>
/// The OAuth2 authorisation-code flow for connectors that need the user's consent at the provider. Starting needs access
/// to the dossier; the callback's <c>state</c> is sealed by <see cref="IConsentStateProtector"/>, so it decides which
/// connection is connected, and the caller must also be allowed to see that dossier: a code obtained for one dossier can
/// never connect another.
/// </summary>
public sealed class ConsentService(
    IConnectionRepository connections,
    ISecretStore secrets,
    ConnectionService connectionService,
    ConnectorCatalog catalog,
    IConsentStateProtector states,
    TimeProvider clock)
{
    public async Task<ConsentStart> StartAsync(string dossierId, string connectionId, Caller caller, CancellationToken cancellationToken)
    {
        var connection = await connectionService.GetAsync(dossierId, connectionId, caller, cancellationToken);
        var connector = ConsentConnectorOf(connection);
        var (settings, _) = await connectionService.LoadSettingsAsync(connection, cancellationToken);
        var state = states.Protect(new ConsentState(connection.DossierId, connection.Id, connection.Provider, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))));
        var url = await connector.AuthorizationUrlAsync(settings, state, cancellationToken);
        return new ConsentStart(connection.DossierId, connection.Id, url);
    }

    public async Task<ConsentCompleted> CompleteAsync(string? code, string? state, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (string.IsNullOrWhiteSpace(code))
        {
            throw new RequestValidationException("code", "The provider's authorisation code is missing; start the connection's consent again.");
        }

        var sealedState = string.IsNullOrWhiteSpace(state) ? null : states.Unprotect(state);
        if (sealedState is null)
        {
            throw new RequestValidationException("state", "This consent link is not valid or has expired; start the connection's consent again.");
        }

        // The state names the dossier; the caller must be allowed there, like on every other route.
        var connection = await connectionService.GetAsync(sealedState.DossierId, sealedState.ConnectionId, caller, cancellationToken);
        if (!connection.Provider.Equals(sealedState.Provider, StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestValidationException("state", "This consent link was made for another kind of connection; start the consent again.");
        }

        var connector = ConsentConnectorOf(connection);
        var (settings, _) = await connectionService.LoadSettingsAsync(connection, cancellationToken);
        OAuthConsentResult result;
        try
        {
            result = await connector.CompleteConsentAsync(settings, code, cancellationToken);
        }
        catch (OAuthConsentRefusedException e)
        {
            throw new RequestValidationException("code", e.Message);
        }

        await RememberAsync(connection, result.ConnectionCredentials, cancellationToken);

        // The connection now holds the consent it was given (shared with the same account's other connections); one it
        // held before and no longer names (another account signed in) is let go of, and deleted if nobody else holds it.
        var holder = ConsentHolders.Of(connection);
        var (now, _) = await connectionService.LoadSettingsAsync(connection with { SecretName = connection.SecretName ?? ConnectionService.SecretNameFor(connection.DossierId, connection.Id) }, cancellationToken);
        await connector.HoldConsentAsync(now, holder, cancellationToken);
        if (result.ConnectionCredentials.Any(c => settings.Get(c.Key) is { } before && before != c.Value))
        {
            await connector.ReleaseConsentAsync(settings, holder, cancellationToken);
        }

        return new ConsentCompleted(connection.DossierId, connection.Id, result.Message);
    }

    /// <summary>Merges what the consent left into the connection's own secret, and marks the connection healthy.</summary>
    private async Task RememberAsync(Connection connection, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        var secretName = connection.SecretName ?? ConnectionService.SecretNameFor(connection.DossierId, connection.Id);
        var credentials = new Dictionary<string, string>(StringComparer.Ordinal);
        if (connection.SecretName is not null && await secrets.GetAsync(connection.SecretName, cancellationToken) is { } json)
        {
            credentials = JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? credentials;
        }

        foreach (var (key, value) in values)
        {
            credentials[key] = value;
        }

        await secrets.SetAsync(secretName, JsonSerializer.Serialize(credentials), cancellationToken);
        var now = clock.GetUtcNow();
        var current = await connections.GetAsync(connection.DossierId, connection.Id, cancellationToken) ?? connection;
        await connections.UpsertAsync(
            current with { SecretName = secretName, Health = new ConnectionHealth(ConnectionHealthStatus.Healthy, null, now), UpdatedAt = now },
            cancellationToken);
    }

    private IOAuthConsentConnector ConsentConnectorOf(Connection connection) =>
        catalog.Find(connection.Provider) as IOAuthConsentConnector
            ?? throw new RequestValidationException("connectionId", $"A {connection.Provider} connection is not connected by consent at the provider.");
}
