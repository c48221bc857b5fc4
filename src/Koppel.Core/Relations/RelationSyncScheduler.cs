using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Payments;
using Koppel.Core.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Relations;

/// <summary>What one timer firing did.</summary>
public sealed record RelationFanOut(int DossiersDue, int SlotsClaimed, int JobsQueued);

/// <summary>
/// The nightly relation timer (every few minutes, in UTC, in both hosts): for each dossier, decides in its own time zone
/// whether the sync slot (<see cref="RelationOptions.Schedule"/>, 02:00 by default) is due, claims it once across firings
/// and hosts (the payment slots' claim rows, keyed <c>relations-{slot}</c>), and queues one sync job per connection that
/// can read relations. It syncs nothing itself.
/// </summary>
public sealed class RelationSyncScheduler(
    IDossierRepository dossiers,
    IConnectionRepository connections,
    IPollSlotClaims claims,
    IRelationSyncQueue queue,
    ConnectorCatalog catalog,
    IOptions<RelationOptions> options,
    TimeProvider clock,
    ILogger<RelationSyncScheduler> logger)
{
    public const string SlotPrefix = "relations-";

    public async Task<RelationFanOut> FanOutAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        int due = 0, claimed = 0, queued = 0;
        await foreach (var dossier in dossiers.ListAsync(cancellationToken))
        {
            IReadOnlyList<PollSlot> slots;
            try
            {
                slots = PaymentSchedule.DueSlots(now, settings.CatchUp, settings.Schedule, dossier.TimeZone);
            }
            catch (Cronos.CronFormatException e)
            {
                logger.LogError("Koppel:Relations:Schedule '{Schedule}' is unusable: {Problem}; no relation sync is queued", settings.Schedule, e.Message);
                return new RelationFanOut(0, 0, 0);
            }

            if (slots.Count > 0)
            {
                due++;
            }

            foreach (var slot in slots)
            {
                var key = SlotPrefix + slot.Key;
                try
                {
                    if (!await claims.TryClaimAsync(dossier.Id, key, now, settings.TakeOverClaimAfter, cancellationToken))
                    {
                        continue;
                    }

                    claimed++;
                    queued += await QueueSyncsAsync(dossier.Id, key, full: false, "system", now, cancellationToken);
                    await claims.MarkQueuedAsync(dossier.Id, key, cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    logger.LogError(e, "Queuing the relation syncs of dossier {DossierId} for slot {Slot} failed; a later firing takes the slot over", dossier.Id, key);
                }
            }
        }

        if (claimed > 0)
        {
            logger.LogInformation("Relation timer: {Claimed} slot(s) of {Due} dossier(s) claimed, {Queued} sync job(s) queued", claimed, due, queued);
        }

        return new RelationFanOut(due, claimed, queued);
    }

    private async Task<int> QueueSyncsAsync(string dossierId, string slot, bool full, string requestedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var connection in connections.ListAsync(dossierId, cancellationToken))
        {
            if (CanSync(connection))
            {
                await queue.EnqueueAsync(new RelationSyncJob { DossierId = dossierId, ConnectionId = connection.Id, Full = full, Slot = slot, RequestedBy = requestedBy, EnqueuedAt = now }, cancellationToken);
                count++;
            }
        }

        return count;
    }

    /// <summary>Enabled, not waiting for a person to mend it, and its connector reads relations.</summary>
    public bool CanSync(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.Enabled
            && connection.Health.Status is not (ConnectionHealthStatus.Broken or ConnectionHealthStatus.NeedsConsent)
            && catalog.Find(connection.Provider) is IRelationReader;
    }
}
