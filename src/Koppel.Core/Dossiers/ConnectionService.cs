using System.Text.Json;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Security;

namespace Koppel.Core.Dossiers;

/// <summary>
/// What a caller sends to create or update a connection. Credentials are write-only: they go to the
/// secret store and are never returned.
/// </summary>
public sealed record ConnectionInput(
    string? Provider,
    string? DisplayName,
    IReadOnlyList<string>? DocumentKinds,
    IReadOnlyDictionary<string, string>? Options,
    IReadOnlyDictionary<string, string>? Credentials,
    bool? Enabled);

/// <summary>A connection as saved, with the result of the connection test run on save when one was asked for.</summary>
public sealed record SavedConnection(Connection Connection, ConnectionTestResult? Test);

/// <summary>Manages a dossier's connections; the only code that writes connection credentials.</summary>
public sealed class ConnectionService(
    IDossierRepository dossiers,
    IConnectionRepository connections,
    ISecretStore secrets,
    ConnectorCatalog catalog,
    TimeProvider clock)
{
    public async Task<Connection> CreateAsync(string dossierId, ConnectionInput input, Caller caller, CancellationToken cancellationToken) =>
        (await CreateAsync(dossierId, input, test: false, caller, cancellationToken)).Connection;

    /// <summary>
    /// Creates a connection; with <paramref name="test"/>, runs the connector's connection test on the new settings first
    /// and saves nothing when it fails (<see cref="ConnectionTestFailedException"/>).
    /// </summary>
    public Task<SavedConnection> CreateAsync(string dossierId, ConnectionInput input, bool test, Caller caller, CancellationToken cancellationToken) =>
        CreateAsync(dossierId, input, test, caller, keptCredentials: null, cancellationToken);

    /// <summary>
    /// Creates a connection that also keeps <paramref name="keptCredentials"/>: values Koppel itself wrote into another
    /// connection's credentials (a consent reference written by the consent callback), carried over by an import. They
    /// are not a user's to set, so they skip the check that refuses credentials the connector does not declare.
    /// </summary>
    internal async Task<SavedConnection> CreateAsync(string dossierId, ConnectionInput input, bool test, Caller caller, IReadOnlyDictionary<string, string>? keptCredentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        await EnsureDossierAsync(dossierId, caller, cancellationToken);
        var descriptor = ValidateProvider(input.Provider);
        EnsureMayConfigure(descriptor, caller);
        var kinds = ValidateKinds(input.DocumentKinds, descriptor, required: true);
        var options = input.Options ?? new Dictionary<string, string>();
        var credentials = input.Credentials ?? new Dictionary<string, string>();
        ValidateSettings(descriptor, input.DisplayName, options, credentials, isUpdate: false);
        if (keptCredentials is { Count: > 0 })
        {
            var merged = new Dictionary<string, string>(keptCredentials, StringComparer.Ordinal);
            foreach (var (name, value) in credentials)
            {
                merged[name] = value;
            }

            credentials = merged;
        }
        ValidateWithConnector(descriptor, kinds!, options, credentials);
        var tested = test ? await TestBeforeSavingAsync(descriptor, kinds!, options, credentials, cancellationToken) : null;

        var id = "c" + Guid.NewGuid().ToString("N")[..16];
        var now = clock.GetUtcNow();
        string? secretName = null;
        if (credentials.Count > 0)
        {
            secretName = SecretNameFor(dossierId, id);
            await secrets.SetAsync(secretName, JsonSerializer.Serialize(credentials), cancellationToken);
        }

        var connection = new Connection
        {
            Id = id,
            DossierId = dossierId,
            Provider = descriptor.Provider,
            DisplayName = input.DisplayName ?? descriptor.DisplayName,
            DocumentKinds = kinds!,
            Options = new Dictionary<string, string>(options, StringComparer.Ordinal),
            SecretName = secretName,
            Enabled = input.Enabled ?? true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        connection = WithTestResult(connection, tested);
        await connections.UpsertAsync(connection, cancellationToken);
        return new SavedConnection(connection, tested);
    }

    public async Task<Connection> GetAsync(string dossierId, string connectionId, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        return await connections.GetAsync(dossierId, connectionId, cancellationToken)
            ?? throw new ResourceNotFoundException($"Connection {connectionId} does not exist in dossier {dossierId}.");
    }

    public async Task<IReadOnlyList<Connection>> ListAsync(string dossierId, Caller caller, CancellationToken cancellationToken)
    {
        await EnsureDossierAsync(dossierId, caller, cancellationToken);
        var result = new List<Connection>();
        await foreach (var connection in connections.ListAsync(dossierId, cancellationToken))
        {
            result.Add(connection);
        }

        return result;
    }

    public async Task<Page<Connection>> ListPageAsync(string dossierId, PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        await EnsureDossierAsync(dossierId, caller, cancellationToken);
        return await connections.ListPageAsync(dossierId, page, cancellationToken);
    }

    /// <summary>
    /// The connections that need looking at across the dossiers the caller may see (broken, needing consent, out of
    /// quota, failing or unreachable): what an accounting firm checks every morning.
    /// </summary>
    public Task<Page<Connection>> ListNeedingAttentionPageAsync(PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return connections.ListNeedingAttentionPageAsync(caller.AllDossiers ? null : caller.Dossiers, page, cancellationToken);
    }

    /// <summary>Updates what is given; credentials given replace the stored ones, credentials left out stay.</summary>
    public async Task<Connection> UpdateAsync(string dossierId, string connectionId, ConnectionInput input, Caller caller, CancellationToken cancellationToken) =>
        (await UpdateAsync(dossierId, connectionId, input, test: false, caller, cancellationToken)).Connection;

    /// <summary>Updates a connection; with <paramref name="test"/>, the changed settings must pass the connection test first or nothing changes.</summary>
    public async Task<SavedConnection> UpdateAsync(string dossierId, string connectionId, ConnectionInput input, bool test, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var existing = await GetAsync(dossierId, connectionId, caller, cancellationToken);
        if (input.Provider is not null && !input.Provider.Equals(existing.Provider, StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestValidationException("provider", "The provider of a connection cannot change; create a new connection.");
        }

        var descriptor = ValidateProvider(existing.Provider);
        EnsureMayConfigure(descriptor, caller);
        var kinds = input.DocumentKinds is null ? existing.DocumentKinds : ValidateKinds(input.DocumentKinds, descriptor, required: true)!;
        var options = input.Options ?? existing.Options;
        ValidateSettings(descriptor, input.DisplayName, options, input.Credentials ?? new Dictionary<string, string>(), isUpdate: true);
        var credentials = input.Credentials is { Count: > 0 } given ? given
            : existing.SecretName is null ? new Dictionary<string, string>()
            : await ReadCredentialsAsync(existing, cancellationToken);
        ValidateWithConnector(descriptor, kinds, options, credentials);
        var tested = test ? await TestBeforeSavingAsync(descriptor, kinds, options, credentials, cancellationToken) : null;

        var secretName = existing.SecretName;
        if (input.Credentials is { Count: > 0 })
        {
            secretName ??= SecretNameFor(dossierId, connectionId);
            await secrets.SetAsync(secretName, JsonSerializer.Serialize(input.Credentials), cancellationToken);
        }

        var updated = existing with
        {
            DisplayName = input.DisplayName ?? existing.DisplayName,
            DocumentKinds = kinds,
            Options = new Dictionary<string, string>(options, StringComparer.Ordinal),
            SecretName = secretName,
            Enabled = input.Enabled ?? existing.Enabled,
            UpdatedAt = clock.GetUtcNow(),
        };
        updated = WithTestResult(updated, tested);
        await connections.UpsertAsync(updated, cancellationToken);
        return new SavedConnection(updated, tested);
    }

    /// <summary>The connection test on the settings about to be saved; a failure saves nothing.</summary>
    private async Task<ConnectionTestResult> TestBeforeSavingAsync(
        ConnectorDescriptor descriptor, IReadOnlyCollection<DocumentKind> kinds, IReadOnlyDictionary<string, string> options, IReadOnlyDictionary<string, string> credentials, CancellationToken cancellationToken)
    {
        var result = await catalog.Find(descriptor.Provider)!.TestConnectionAsync(new ConnectorSettings(options, credentials) { DocumentKinds = kinds }, cancellationToken);
        var message = SecretScrubber.Scrub(result.Message, [.. credentials.Values]);
        return result.Success ? result with { Message = message } : throw new ConnectionTestFailedException(result with { Message = message });
    }

    /// <summary>A passed test on save: the connection starts healthy, with what the test learned (e.g. the SFTP host key).</summary>
    private Connection WithTestResult(Connection connection, ConnectionTestResult? tested) =>
        tested is null ? connection
        : WithLearnedSettings(connection with { Health = new ConnectionHealth(ConnectionHealthStatus.Healthy, null, clock.GetUtcNow()) }, tested.LearnedSettings);

    /// <summary>
    /// Deletes the connection and its own secret. A consent it shared with other connections (an Exact user's) is let go
    /// of; the consent's tokens go with the last connection that used them.
    /// </summary>
    public async Task DeleteAsync(string dossierId, string connectionId, Caller caller, CancellationToken cancellationToken)
    {
        var existing = await GetAsync(dossierId, connectionId, caller, cancellationToken);
        var consent = catalog.Find(existing.Provider) as IOAuthConsentConnector;
        var settings = consent is not null && existing.SecretName is not null && await secrets.GetAsync(existing.SecretName, cancellationToken) is not null
            ? (await LoadSettingsAsync(existing, cancellationToken)).Settings
            : null;
        await connections.DeleteAsync(dossierId, connectionId, cancellationToken);
        if (consent is not null && settings is not null)
        {
            await consent.ReleaseConsentAsync(settings, ConsentHolders.Of(existing), cancellationToken);
        }

        if (existing.SecretName is not null)
        {
            await secrets.DeleteAsync(existing.SecretName, cancellationToken);
        }
    }

    /// <summary>Runs the connector's own check of the stored settings.</summary>
    public async Task<ConnectionTestResult> TestAsync(string dossierId, string connectionId, Caller caller, CancellationToken cancellationToken)
    {
        var connection = await GetAsync(dossierId, connectionId, caller, cancellationToken);
        var connector = catalog.Find(connection.Provider)
            ?? throw new ResourceNotFoundException($"No connector '{connection.Provider}' in this build.");
        var settings = await LoadSettingsAsync(connection, cancellationToken);
        var result = await connector.TestConnectionAsync(settings.Settings, cancellationToken);
        var status = result.Success ? ConnectionHealthStatus.Healthy
            : result.NeedsConsent ? ConnectionHealthStatus.NeedsConsent
            : result.CredentialsRejected ? ConnectionHealthStatus.Broken
            : connection.Health.Status;
        var updated = status == connection.Health.Status ? connection
            : connection with { Health = connection.Health with { Status = status, Reason = result.Success ? null : result.Message, Since = clock.GetUtcNow() } };
        updated = WithLearnedSettings(updated, result.LearnedSettings);
        if (!ReferenceEquals(updated, connection))
        {
            await connections.UpsertAsync(updated, cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// Adds what a connector learned (e.g. the SFTP host key seen on first use) where the connection has no value
    /// yet; a value a person set is never replaced here.
    /// </summary>
    public static Connection WithLearnedSettings(Connection connection, IReadOnlyDictionary<string, string> learned)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(learned);
        var missing = learned.Where(l => !connection.Options.TryGetValue(l.Key, out var value) || string.IsNullOrEmpty(value)).ToList();
        if (missing.Count == 0)
        {
            return connection;
        }

        var options = new Dictionary<string, string>(connection.Options, StringComparer.Ordinal);
        foreach (var (name, value) in missing)
        {
            options[name] = value;
        }

        return connection with { Options = options };
    }

    /// <summary>Options and credentials merged for the connector, plus the raw secret values for scrubbing.</summary>
    public async Task<(ConnectorSettings Settings, IReadOnlyCollection<string> SecretValues)> LoadSettingsAsync(Connection connection, CancellationToken cancellationToken)
    {
        var credentials = await CredentialsOfAsync(connection, cancellationToken);
        return (new ConnectorSettings(connection.Options, credentials), credentials.Values.ToList());
    }

    /// <summary>The connection's stored credentials, for a new connection that uses the same ones (never for an answer).</summary>
    internal async Task<Dictionary<string, string>> CredentialsOfAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var credentials = new Dictionary<string, string>(StringComparer.Ordinal);
        if (connection.SecretName is not null)
        {
            var json = await secrets.GetAsync(connection.SecretName, cancellationToken)
                ?? throw new ConnectorConfigurationException($"The credentials of connection {connection.Id} are missing from the secret store (secret '{connection.SecretName}').");
            credentials = JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? credentials;
        }

        return credentials;
    }

    public static string SecretNameFor(string dossierId, string connectionId) => $"conn-{dossierId}-{connectionId}";

    private async Task EnsureDossierAsync(string dossierId, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        if (await dossiers.GetAsync(dossierId, cancellationToken) is null)
        {
            throw new ResourceNotFoundException($"Dossier {dossierId} does not exist.");
        }
    }

    private ConnectorDescriptor ValidateProvider(string? provider)
    {
        if (string.IsNullOrWhiteSpace(provider))
        {
            throw new RequestValidationException("provider", $"A provider is required; one of: {string.Join(", ", catalog.Descriptors.Select(d => d.Provider))}.");
        }

        return catalog.Find(provider)?.Descriptor
            ?? throw new RequestValidationException("provider", $"Unknown provider '{provider}'; one of: {string.Join(", ", catalog.Descriptors.Select(d => d.Provider))}.");
    }

    private static HashSet<DocumentKind>? ValidateKinds(IReadOnlyList<string>? kinds, ConnectorDescriptor descriptor, bool required)
    {
        if (kinds is null || kinds.Count == 0)
        {
            return required ? throw new RequestValidationException("documentKinds", $"Name at least one document kind; {descriptor.Provider} takes: {string.Join(", ", descriptor.Delivers.Keys)}.") : null;
        }

        var result = new HashSet<DocumentKind>();
        foreach (var text in kinds)
        {
            if (!Enum.TryParse<DocumentKind>(text, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            {
                throw new RequestValidationException("documentKinds", $"'{text}' is not a document kind; use: {string.Join(", ", Enum.GetNames<DocumentKind>())}.");
            }

            if (!descriptor.Delivers.ContainsKey(kind))
            {
                throw new RequestValidationException("documentKinds", $"{descriptor.DisplayName} does not take {kind}.");
            }

            result.Add(kind);
        }

        return result;
    }

    /// <summary>Connections that reach the server itself (a local folder) are an operator's to make.</summary>
    private static void EnsureMayConfigure(ConnectorDescriptor descriptor, Caller caller)
    {
        if (descriptor.OperatorOnly && !caller.AllDossiers)
        {
            throw new AccessDeniedException($"Only an operator (a key for all dossiers) may set up a {descriptor.DisplayName} connection.");
        }
    }

    /// <summary>The connector's own check of the values (paths, layouts, security modes), so a bad value is a 400 now, not a failed delivery later.</summary>
    private void ValidateWithConnector(ConnectorDescriptor descriptor, IReadOnlyCollection<DocumentKind> kinds, IReadOnlyDictionary<string, string> options, IReadOnlyDictionary<string, string> credentials)
    {
        try
        {
            catalog.Find(descriptor.Provider)!.ValidateSettings(new ConnectorSettings(options, credentials) { DocumentKinds = kinds });
        }
        catch (ConnectorConfigurationException e)
        {
            throw new RequestValidationException("options", SecretScrubber.Scrub(e.Message, [.. credentials.Values]));
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> ReadCredentialsAsync(Connection connection, CancellationToken cancellationToken) =>
        (await LoadSettingsAsync(connection, cancellationToken)).Settings.Secrets;

    private static void ValidateSettings(ConnectorDescriptor descriptor, string? displayName, IReadOnlyDictionary<string, string> options, IReadOnlyDictionary<string, string> credentials, bool isUpdate)
    {
        var errors = new ValidationErrors();
        CheckLimits(errors, displayName, options, credentials);
        var known = descriptor.Settings.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var name in options.Keys)
        {
            if (known.TryGetValue(name, out var field) && field.Secret)
            {
                errors.Add($"options.{name}", $"'{name}' is a credential: send it under 'credentials', never under 'options'.");
            }
            else if (!known.ContainsKey(name))
            {
                errors.Add($"options.{name}", $"{descriptor.DisplayName} has no setting '{name}'.");
            }
        }

        foreach (var name in credentials.Keys)
        {
            if (!known.TryGetValue(name, out var field) || !field.Secret)
            {
                errors.Add($"credentials.{name}", $"'{name}' is not a credential of {descriptor.DisplayName}.");
            }
        }

        if (!isUpdate)
        {
            foreach (var field in descriptor.Settings.Where(f => f.Required))
            {
                var source = field.Secret ? credentials : options;
                if (!source.TryGetValue(field.Name, out var value) || string.IsNullOrWhiteSpace(value))
                {
                    errors.Add(field.Secret ? $"credentials.{field.Name}" : $"options.{field.Name}", $"'{field.Name}' is required: {field.Description}");
                }
            }
        }

        errors.ThrowIfAny();
    }

    /// <summary>
    /// Bounds on every field, so an oversized value is a 400 naming it rather than a storage error: a table row
    /// holds at most 1 MiB and a property 64 KiB. A private key in PEM is a few KiB, hence the larger credential bound.
    /// </summary>
    private static void CheckLimits(ValidationErrors errors, string? displayName, IReadOnlyDictionary<string, string> options, IReadOnlyDictionary<string, string> credentials)
    {
        if (displayName is { Length: > ConnectionLimits.DisplayName })
        {
            errors.Add("displayName", $"At most {ConnectionLimits.DisplayName} characters.");
        }

        if (options.Count > ConnectionLimits.Fields || credentials.Count > ConnectionLimits.Fields)
        {
            errors.Add("options", $"At most {ConnectionLimits.Fields} settings and {ConnectionLimits.Fields} credentials.");
        }

        foreach (var (name, value) in options)
        {
            if (name.Length > ConnectionLimits.Name || value?.Length > ConnectionLimits.OptionValue)
            {
                errors.Add($"options.{Shorten(name)}", $"A setting's name has at most {ConnectionLimits.Name} characters and its value at most {ConnectionLimits.OptionValue}.");
            }
        }

        foreach (var (name, value) in credentials)
        {
            if (name.Length > ConnectionLimits.Name || value?.Length > ConnectionLimits.CredentialValue)
            {
                errors.Add($"credentials.{Shorten(name)}", $"A credential's name has at most {ConnectionLimits.Name} characters and its value at most {ConnectionLimits.CredentialValue}.");
            }
        }

        static string Shorten(string name) => name.Length > ConnectionLimits.Name ? name[..ConnectionLimits.Name] + "…" : name;
    }
}

/// <summary>The size bounds of a connection's fields.</summary>
public static class ConnectionLimits
{
    public const int DisplayName = 200;
    public const int Fields = 40;
    public const int Name = 100;
    public const int OptionValue = 4_000;
    public const int CredentialValue = 16_000;
}
