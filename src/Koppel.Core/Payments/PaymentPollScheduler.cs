using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Payments;

/// <summary>What one timer firing did.</summary>
public sealed record PaymentFanOut(int DossiersDue, int SlotsClaimed, int JobsQueued);

/// <summary>
/// The payment timer (every few minutes, in UTC, in both hosts): for each dossier, decides in the dossier's own time zone
/// which poll slots are due, claims each slot once (across firings and hosts), and queues one poll job per connection
/// that can read payments. It polls nothing itself, so thousands of dossiers spread over the queue and the providers' quotas.
/// </summary>
public sealed class PaymentPollScheduler(
    IDossierRepository dossiers,
    IConnectionRepository connections,
    IPollSlotClaims claims,
    IPollJobQueue queue,
    ConnectorCatalog catalog,
    IOptions<PaymentOptions> options,
    TimeProvider clock,
    ILogger<PaymentPollScheduler> logger)
{
    public async Task<PaymentFanOut> FanOutAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        int due = 0, claimed = 0, queued = 0;
        await foreach (var dossier in dossiers.ListAsync(cancellationToken))
        {
            IReadOnlyList<PollSlot> slots;
            try
            {
                slots = PaymentSchedule.DueSlots(now, settings.CatchUp, dossier.PaymentSchedule ?? settings.Schedule, dossier.TimeZone);
            }
            catch (Cronos.CronFormatException e)
            {
                logger.LogWarning("Dossier {DossierId} has an unusable payment schedule '{Schedule}': {Problem}; it is not polled", dossier.Id, dossier.PaymentSchedule ?? settings.Schedule, e.Message);
                continue;
            }

            if (slots.Count > 0)
            {
                due++;
            }

            foreach (var slot in slots)
            {
                try
                {
                    if (!await claims.TryClaimAsync(dossier.Id, slot.Key, now, settings.TakeOverClaimAfter, cancellationToken))
                    {
                        continue;
                    }

                    claimed++;
                    queued += await QueuePollsAsync(dossier, slot.Key, now, cancellationToken);
                    await claims.MarkQueuedAsync(dossier.Id, slot.Key, cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    // One dossier's trouble must not hold up the others; its claim is taken over by a later firing.
                    logger.LogError(e, "Queuing the payment polls of dossier {DossierId} for slot {Slot} failed; a later firing takes the slot over", dossier.Id, slot.Key);
                }
            }
        }

        if (claimed > 0)
        {
            logger.LogInformation("Payment timer: {Claimed} slot(s) of {Due} dossier(s) claimed, {Queued} poll job(s) queued", claimed, due, queued);
        }

        return new PaymentFanOut(due, claimed, queued);
    }

    /// <summary>
    /// "Poll now": queues a poll of every connection of the dossier that can read payments, outside the schedule, at most
    /// once per <see cref="PaymentOptions.ManualPollInterval"/> (a second ask in the same window is a conflict that says
    /// when the next one is possible). Returns the number of poll jobs queued.
    /// </summary>
    public async Task<int> PollNowAsync(Dossier dossier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dossier);
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var window = settings.ManualPollInterval > TimeSpan.Zero ? settings.ManualPollInterval : TimeSpan.FromMinutes(1);
        var windowStart = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % window.Ticks), TimeSpan.Zero);
        var slot = "manual-" + windowStart.ToString("yyyyMMdd'T'HHmm", System.Globalization.CultureInfo.InvariantCulture);
        if (!await claims.TryClaimAsync(dossier.Id, slot, now, settings.TakeOverClaimAfter, cancellationToken))
        {
            throw new Errors.ResourceConflictException(
                $"The payments of dossier {dossier.Id} were asked for already in this {window.TotalMinutes:0}-minute window; ask again after {windowStart + window:HH:mm} UTC.");
        }

        var queued = await QueuePollsAsync(dossier, slot, now, cancellationToken);
        await claims.MarkQueuedAsync(dossier.Id, slot, cancellationToken);
        logger.LogInformation("Payment poll of dossier {DossierId} asked for: {Queued} poll job(s) queued", dossier.Id, queued);
        return queued;
    }

    /// <summary>Queues a poll of every connection of the dossier that can read payments (also outside the schedule, e.g. on demand).</summary>
    public async Task<int> QueuePollsAsync(Dossier dossier, string slot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dossier);
        var count = 0;
        await foreach (var connection in connections.ListAsync(dossier.Id, cancellationToken))
        {
            if (CanReadPayments(connection))
            {
                await queue.EnqueueAsync(new PollJob { DossierId = dossier.Id, ConnectionId = connection.Id, Slot = slot, EnqueuedAt = now }, cancellationToken);
                count++;
            }
        }

        return count;
    }

    private bool CanReadPayments(Connection connection) =>
        connection.Enabled
        && connection.DocumentKinds.Contains(DocumentKind.SalesInvoice)
        && connection.Health.Status is not (ConnectionHealthStatus.Broken or ConnectionHealthStatus.NeedsConsent)
        && catalog.Find(connection.Provider) is IPaymentReader;
}
