using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Koppel.Core.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Dossiers;

/// <summary>Configuration section <c>Koppel:Consents</c>: keeping OAuth consents alive.</summary>
public sealed class ConsentUpkeepOptions
{
    public const string SectionName = "Koppel:Consents";

    /// <summary>
    /// A consent not renewed for this long is renewed by the daily upkeep. Exact's refresh tokens die after about 30 days
    /// unused; a week leaves several daily runs to get through an outage at Exact.
    /// </summary>
    public TimeSpan RenewWhenIdleFor { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>What one upkeep run did.</summary>
public sealed record ConsentUpkeepSummary(int Checked, int Renewed, int Refused, int TryLater);

/// <summary>
/// Once a day (a timer in the Functions app, a cron loop on the self-hosted server): every connection whose connector
/// is connected by consent gets its consent renewed when it was idle too long, so a dossier that receives few documents
/// does not lose its connection. A refused renewal marks the connection <see cref="ConnectionHealthStatus.NeedsConsent"/>
/// with the provider's reason; such a connection is not asked again until the user consents anew.
/// </summary>
public sealed class ConsentUpkeepJob(
    IDossierRepository dossiers,
    IConnectionRepository connections,
    ConnectionService connectionService,
    ConnectorCatalog catalog,
    IOptions<ConsentUpkeepOptions> options,
    TimeProvider clock,
    ILogger<ConsentUpkeepJob> logger)
{
    public async Task<ConsentUpkeepSummary> RunAsync(CancellationToken cancellationToken)
    {
        var idleFor = options.Value.RenewWhenIdleFor;
        int seen = 0, renewed = 0, refused = 0, later = 0;
        await foreach (var dossier in dossiers.ListAsync(cancellationToken))
        {
            await foreach (var connection in connections.ListAsync(dossier.Id, cancellationToken))
            {
                if (catalog.Find(connection.Provider) is not IOAuthConsentConnector connector
                    || connection.SecretName is null
                    || connection.Health.Status == ConnectionHealthStatus.NeedsConsent)
                {
                    continue;
                }

                seen++;
                var upkeep = await KeepAliveAsync(connector, connection, idleFor, cancellationToken);
                switch (upkeep.Outcome)
                {
                    case ConsentUpkeepOutcome.Renewed:
                        renewed++;
                        break;
                    case ConsentUpkeepOutcome.Refused:
                        refused++;
                        await MarkNeedsConsentAsync(connection, upkeep.Reason, cancellationToken);
                        break;
                    case ConsentUpkeepOutcome.TryLater:
                        later++;
                        logger.LogWarning("The consent of connection {ConnectionId} of dossier {DossierId} could not be renewed now: {Reason}", connection.Id, connection.DossierId, upkeep.Reason);
                        break;
                }
            }
        }

        logger.LogInformation("Consent upkeep: {Checked} consents checked, {Renewed} renewed, {Refused} refused, {TryLater} to try again", seen, renewed, refused, later);
        return new ConsentUpkeepSummary(seen, renewed, refused, later);
    }

    private async Task<ConsentUpkeep> KeepAliveAsync(IOAuthConsentConnector connector, Connection connection, TimeSpan idleFor, CancellationToken cancellationToken)
    {
        IReadOnlyCollection<string> secretValues = [];
        try
        {
            (var settings, secretValues) = await connectionService.LoadSettingsAsync(connection, cancellationToken);

            // A connection made before consents counted their holders is counted now, so deleting the consent's other
            // connections can never take its tokens away.
            await connector.HoldConsentAsync(settings, ConsentHolders.Of(connection), cancellationToken);
            var upkeep = await connector.KeepConsentAliveAsync(settings, idleFor, cancellationToken);
            return upkeep with { Reason = upkeep.Reason is null ? null : SecretScrubber.Scrub(upkeep.Reason, secretValues) };
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // One connection's surprise must not stop the others' upkeep; the next run tries it again.
            logger.LogError("Keeping the consent of connection {ConnectionId} of dossier {DossierId} alive failed: {Error}", connection.Id, connection.DossierId, SecretScrubber.Scrub(e.Message, secretValues));
            return new ConsentUpkeep(ConsentUpkeepOutcome.TryLater, "unexpected failure");
        }
    }

    private async Task MarkNeedsConsentAsync(Connection connection, string? reason, CancellationToken cancellationToken)
    {
        var current = await connections.GetAsync(connection.DossierId, connection.Id, cancellationToken);
        if (current is null || current.Health.Status == ConnectionHealthStatus.NeedsConsent)
        {
            return;
        }

        var text = reason ?? "The provider no longer accepts this connection's consent: connect again.";
        await connections.UpsertAsync(current with { Health = new ConnectionHealth(ConnectionHealthStatus.NeedsConsent, text, clock.GetUtcNow()) }, cancellationToken);
        logger.LogWarning("Connection {ConnectionId} of dossier {DossierId} needs a new consent: {Reason}", connection.Id, connection.DossierId, text);
    }
}
