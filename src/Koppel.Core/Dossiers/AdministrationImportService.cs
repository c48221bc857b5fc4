using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Security;
using Microsoft.Extensions.Logging;

namespace Koppel.Core.Dossiers;

/// <summary>An administration the source connection reaches, and what importing it would do.</summary>
public sealed record AdministrationCandidate(
    string Id,
    string Name,
    string? EnterpriseNumber,
    string? VatNumber,
    string? ContactEmail,
    string? ExistingDossierId,
    bool AlreadyConnected);

/// <summary>
/// One administration to import; the fields the provider does not give (Yuki does not always say the enterprise number)
/// or that the firm wants otherwise are given here.
/// </summary>
public sealed record AdministrationChoice(string? Id, string? EnterpriseNumber = null, string? Name = null, string? ContactEmail = null);

public enum AdministrationImportOutcome
{
    /// <summary>A new dossier was created with a connection to the administration.</summary>
    Created,

    /// <summary>A dossier with the same enterprise number existed: the connection was added to it, nothing duplicated.</summary>
    Linked,

    /// <summary>The dossier already had a connection to this administration: nothing changed.</summary>
    AlreadyConnected,

    /// <summary>Nothing was done; the reason says why (no enterprise number, an invalid one, no access, unknown id).</summary>
    Refused,
}

public sealed record AdministrationImportResult(string AdministrationId, string? Name, AdministrationImportOutcome Outcome, string? DossierId, string? ConnectionId, string? Reason);

/// <summary>
/// "Add from accounting software": given a connection whose credentials reach several administrations (a Yuki domain
/// key, an Exact user's consent), lists them and creates a dossier with a connection for each chosen one, in one call. A dossier that exists with
/// the same enterprise number (a dossier's id is its enterprise number) gets the connection added instead of a duplicate;
/// a second import of the same administration changes nothing ("add or resynchronise"). Each new connection copies the
/// source connection's settings and credentials (into its own secret) with the administration's own options on top; an
/// OAuth consent is not copied but shared: the new connection refers to the source's consent and is counted among its
/// holders (<see cref="IOAuthConsentConnector.HoldConsentAsync"/>), so one refresh serves them all.
/// A caller creates and links only the dossiers it may reach.
/// </summary>
public sealed class AdministrationImportService(
    IDossierRepository dossiers,
    IConnectionRepository connections,
    DossierService dossierService,
    ConnectionService connectionService,
    ConnectorCatalog catalog,
    Relations.RelationSyncScheduler relationSyncs,
    Relations.IRelationSyncQueue relationSyncQueue,
    TimeProvider clock,
    ILogger<AdministrationImportService> logger)
{
    /// <summary>The administrations the source connection reaches, each with the dossier it would create or link.</summary>
    public async Task<IReadOnlyList<AdministrationCandidate>> ListAsync(string dossierId, string connectionId, Caller caller, CancellationToken cancellationToken)
    {
        var (source, administrations) = await ReadAsync(dossierId, connectionId, caller, cancellationToken);
        var candidates = new List<AdministrationCandidate>(administrations.Count);
        foreach (var administration in administrations)
        {
            var enterprise = EnterpriseNumberOf(administration.EnterpriseNumber, administration.VatNumber);
            var existing = enterprise is null ? null : await dossiers.GetAsync(enterprise, cancellationToken);
            var connected = existing is not null && await FindConnectedAsync(existing.Id, source, administration, cancellationToken) is not null;
            candidates.Add(new AdministrationCandidate(administration.Id, administration.Name, enterprise, administration.VatNumber, administration.ContactEmail, existing?.Id, connected));
        }

        return candidates;
    }

    /// <summary>Creates or links a dossier per chosen administration; one result per choice, in the order given.</summary>
    public async Task<IReadOnlyList<AdministrationImportResult>> ImportAsync(string dossierId, string connectionId, IReadOnlyList<AdministrationChoice>? choices, Caller caller, CancellationToken cancellationToken)
    {
        if (choices is null || choices.Count == 0)
        {
            throw new RequestValidationException("administrations", "Choose at least one administration (its id from the list of administrations).");
        }

        if (choices.Count > 500)
        {
            throw new RequestValidationException("administrations", "At most 500 administrations per call; import the rest in a second call.");
        }

        var (source, administrations) = await ReadAsync(dossierId, connectionId, caller, cancellationToken);
        var credentials = await connectionService.CredentialsOfAsync(source, cancellationToken);
        var consent = catalog.Find(source.Provider) as IOAuthConsentConnector;
        if (consent is not null)
        {
            // The source shares its consent from now on (it may predate consents counting their holders).
            await consent.HoldConsentAsync(new ConnectorSettings(source.Options, credentials), ConsentHolders.Of(source), cancellationToken);
        }

        var results = new List<AdministrationImportResult>(choices.Count);
        foreach (var choice in choices)
        {
            var administration = administrations.FirstOrDefault(a => string.Equals(a.Id, choice.Id?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (administration is null)
            {
                results.Add(new AdministrationImportResult(choice.Id ?? string.Empty, choice.Name, AdministrationImportOutcome.Refused, null, null, $"The connection's credentials do not reach an administration '{choice.Id}'."));
                continue;
            }

            results.Add(await ImportOneAsync(source, credentials, consent, administration, choice, caller, cancellationToken));
        }

        logger.LogInformation(
            "Administrations imported from connection {ConnectionId} of dossier {DossierId}: {Created} created, {Linked} linked, {Already} already connected, {Refused} refused",
            connectionId, dossierId, results.Count(r => r.Outcome == AdministrationImportOutcome.Created), results.Count(r => r.Outcome == AdministrationImportOutcome.Linked),
            results.Count(r => r.Outcome == AdministrationImportOutcome.AlreadyConnected), results.Count(r => r.Outcome == AdministrationImportOutcome.Refused));
        return results;
    }

    private async Task<AdministrationImportResult> ImportOneAsync(Connection source, Dictionary<string, string> credentials, IOAuthConsentConnector? consent, AdministrationInfo administration, AdministrationChoice choice, Caller caller, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrWhiteSpace(choice.Name) ? administration.Name : choice.Name.Trim();
        var enterprise = EnterpriseNumberOf(choice.EnterpriseNumber, null) ?? EnterpriseNumberOf(administration.EnterpriseNumber, administration.VatNumber);
        if (enterprise is null)
        {
            return new AdministrationImportResult(administration.Id, name, AdministrationImportOutcome.Refused, null, null,
                $"{source.DisplayName ?? source.Provider} does not give the enterprise number of '{administration.Name}': give it as 'enterpriseNumber'.");
        }

        try
        {
            var existing = await dossiers.GetAsync(enterprise, cancellationToken);
            var outcome = AdministrationImportOutcome.Linked;
            if (existing is null)
            {
                existing = await dossierService.CreateAsync(
                    new DossierInput(name, enterprise, administration.VatNumber, choice.ContactEmail ?? administration.ContactEmail, null),
                    caller,
                    cancellationToken);
                outcome = AdministrationImportOutcome.Created;
            }
            else
            {
                caller.EnsureCanAccess(existing.Id);
                if (await FindConnectedAsync(existing.Id, source, administration, cancellationToken) is { } connected)
                {
                    return new AdministrationImportResult(administration.Id, name, AdministrationImportOutcome.AlreadyConnected, existing.Id, connected.Id, null);
                }
            }

            var options = new Dictionary<string, string>(source.Options, StringComparer.Ordinal);
            foreach (var (key, value) in administration.ConnectionOptions)
            {
                options[key] = value;
            }

            // A credential the connector declares (a Yuki key) is copied into the new connection's own secret; what Koppel
            // wrote itself (an Exact consent reference) is carried over as is: the new connection shares that consent.
            var declared = catalog.Find(source.Provider)!.Descriptor.Settings.Where(f => f.Secret).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            var given = credentials.Where(c => declared.Contains(c.Key)).ToDictionary(StringComparer.Ordinal);
            var kept = credentials.Where(c => !declared.Contains(c.Key)).ToDictionary(StringComparer.Ordinal);
            var connection = (await connectionService.CreateAsync(
                existing.Id,
                new ConnectionInput(source.Provider, source.DisplayName, [.. source.DocumentKinds.Select(k => k.ToString())], options, given, source.Enabled),
                test: false,
                caller,
                kept,
                cancellationToken)).Connection;
            if (consent is not null)
            {
                await consent.HoldConsentAsync(new ConnectorSettings(connection.Options, credentials), ConsentHolders.Of(connection), cancellationToken);
            }

            await QueueRelationsImportAsync(connection, caller, cancellationToken);
            return new AdministrationImportResult(administration.Id, name, outcome, existing.Id, connection.Id, null);
        }
        catch (Exception e) when (e is RequestValidationException or AccessDeniedException or ResourceConflictException)
        {
            var reason = e is RequestValidationException v ? string.Join(" ", v.Errors.SelectMany(x => x.Value.Select(m => $"{x.Key}: {m}"))) : e.Message;
            return new AdministrationImportResult(administration.Id, name, AdministrationImportOutcome.Refused, null, null, reason);
        }
    }

    /// <summary>The new connection's customers and suppliers are imported right after, by a full relations sync.</summary>
    private async Task QueueRelationsImportAsync(Connection connection, Caller caller, CancellationToken cancellationToken)
    {
        if (!relationSyncs.CanSync(connection))
        {
            return;
        }

        await relationSyncQueue.EnqueueAsync(
            new Relations.RelationSyncJob
            {
                DossierId = connection.DossierId,
                ConnectionId = connection.Id,
                Full = true,
                Slot = "import",
                RequestedBy = caller.Name,
                EnqueuedAt = clock.GetUtcNow(),
            },
            cancellationToken);
    }

    private async Task<(Connection Source, IReadOnlyList<AdministrationInfo> Administrations)> ReadAsync(string dossierId, string connectionId, Caller caller, CancellationToken cancellationToken)
    {
        var source = await connectionService.GetAsync(dossierId, connectionId, caller, cancellationToken);
        if (catalog.Find(source.Provider) is not IAdministrationDirectory directory)
        {
            throw new RequestValidationException("connectionId", $"A {source.Provider} connection cannot list administrations; dossiers can be added from Yuki (with a domain key) and Exact Online (from the divisions the Exact user reaches).");
        }

        var (settings, secretValues) = await connectionService.LoadSettingsAsync(source, cancellationToken);
        try
        {
            return (source, await directory.ListAdministrationsAsync(settings, cancellationToken));
        }
        catch (ConnectorConfigurationException e)
        {
            throw new RequestValidationException("connectionId", SecretScrubber.Scrub(e.Message, secretValues));
        }
    }

    /// <summary>A connection of the dossier to the same provider and administration (its administration options equal).</summary>
    private async Task<Connection?> FindConnectedAsync(string dossierId, Connection source, AdministrationInfo administration, CancellationToken cancellationToken)
    {
        await foreach (var connection in connections.ListAsync(dossierId, cancellationToken))
        {
            if (connection.Provider == source.Provider
                && administration.ConnectionOptions.All(o => connection.Options.TryGetValue(o.Key, out var value) && string.Equals(value, o.Value, StringComparison.OrdinalIgnoreCase)))
            {
                return connection;
            }
        }

        return null;
    }

    /// <summary>A Belgian enterprise number (ten digits) from one given as such or from a Belgian VAT number.</summary>
    internal static string? EnterpriseNumberOf(string? enterpriseNumber, string? vatNumber)
    {
        foreach (var text in new[] { enterpriseNumber, vatNumber })
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var trimmed = text.Trim();
            if (text == vatNumber && !trimmed.StartsWith("BE", StringComparison.OrdinalIgnoreCase))
            {
                continue; // a foreign VAT number says nothing of a Belgian enterprise number
            }

            var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
            if (digits.Length == 9)
            {
                digits = "0" + digits;
            }

            if (digits.Length == 10)
            {
                return digits;
            }
        }

        return null;
    }
}
