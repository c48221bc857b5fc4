using Koppel.Core.Domain;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Runs;
using Koppel.Core.Security;
using Microsoft.Extensions.Logging;

namespace Koppel.Core.Delivery;

/// <summary>
/// What an operator does with a delivery that ended without being made: dead-lettered after the attempt limit, or failed
/// for good. <see cref="RetryAsync"/> sends the same ledger line back to the queue for a new round of attempts; the
/// delivery id stays, so the connector's look-up of its own earlier booking still prevents booking twice, and the line
/// leaves the dead letters. <see cref="DiscardAsync"/> closes it on purpose (booked by hand, say) with a reason. Both
/// land in the document's history with who did it. Sending a document again as a new delivery is Resend (an export).
/// </summary>
public sealed class DeadLetterActions(
    IDeliveryLedger ledger,
    IWorkQueue queue,
    IDocumentHistory history,
    IConnectionRepository connections,
    RunLogWriter runLog,
    TimeProvider clock,
    ILogger<DeadLetterActions> logger)
{
    public const int MaxReasonLength = 500;

    public async Task<DeliveryEntry> RetryAsync(string dossierId, string deliveryId, Caller caller, CancellationToken cancellationToken)
    {
        var entry = await EndedUnmadeAsync(dossierId, deliveryId, caller, "retried", cancellationToken);
        var target = await TargetNameAsync(entry, cancellationToken);
        var now = clock.GetUtcNow();
        var reopened = await ChangeAsync(
            () => ledger.ReopenAsync(
                entry with { Status = DeliveryStatus.Pending, Attempts = 0, Round = entry.Round + 1, ClaimedUntil = null, ClaimedBy = null, UpdatedAt = now },
                cancellationToken),
            deliveryId);
        await history.AppendAsync(
            NewHistory(entry, HistoryEvent.Retried, caller, $"Sent back to {target} by {caller.Name} for a new round of attempts; it had {Ended(entry)}."),
            cancellationToken);

        // Queued last: if this fails, the reopened line is unfinished work the stale-delivery sweep queues again.
        await queue.EnqueueAsync(DeliveryRequest.NextAttemptOf(reopened, now), delay: null, cancellationToken);
        await RecountRunAsync(reopened, cancellationToken);
        logger.LogInformation("Delivery {DeliveryId} of dossier {DossierId} retried by {Caller} (round {Round})", deliveryId, dossierId, caller.Name, reopened.Round);
        return reopened;
    }

    public async Task<DeliveryEntry> DiscardAsync(string dossierId, string deliveryId, string? reason, Caller caller, CancellationToken cancellationToken)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (reason is { Length: > MaxReasonLength })
        {
            throw new RequestValidationException("reason", $"Keep the reason to {MaxReasonLength} characters.");
        }

        var entry = await EndedUnmadeAsync(dossierId, deliveryId, caller, "discarded", cancellationToken);
        var target = await TargetNameAsync(entry, cancellationToken);
        var now = clock.GetUtcNow();
        var discarded = await ChangeAsync(
            () => ledger.ReplaceAsync(entry with { Status = DeliveryStatus.Discarded, UpdatedAt = now }, cancellationToken),
            deliveryId);
        var why = reason is null ? "no reason given" : $"reason: {reason}";
        await history.AppendAsync(
            NewHistory(entry, HistoryEvent.Discarded, caller, $"Discarded by {caller.Name}: it will not be sent to {target} ({why}); it had {Ended(entry)}."),
            cancellationToken);
        await RecountRunAsync(discarded, cancellationToken);
        logger.LogInformation("Delivery {DeliveryId} of dossier {DossierId} discarded by {Caller}", deliveryId, dossierId, caller.Name);
        return discarded;
    }

    private async Task<DeliveryEntry> EndedUnmadeAsync(string dossierId, string deliveryId, Caller caller, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        var entry = await ledger.GetAsync(dossierId, deliveryId, cancellationToken)
            ?? throw new ResourceNotFoundException($"Delivery {deliveryId} does not exist in dossier {dossierId}.");
        if (entry.Status is not (DeliveryStatus.DeadLettered or DeliveryStatus.Failed))
        {
            throw new ResourceConflictException(
                $"Delivery {deliveryId} is {entry.Status}: only a dead-lettered or failed delivery can be {action}. To deliver a document again, resend it.");
        }

        return entry;
    }

    private static async Task<DeliveryEntry> ChangeAsync(Func<Task<DeliveryEntry>> change, string deliveryId)
    {
        try
        {
            return await change();
        }
        catch (ConcurrencyConflictException)
        {
            throw new ResourceConflictException($"Delivery {deliveryId} changed meanwhile (someone else acted on it); look at it again.");
        }
    }

    private async Task<string> TargetNameAsync(DeliveryEntry entry, CancellationToken cancellationToken) =>
        (await connections.GetAsync(entry.DossierId, entry.ConnectionId, cancellationToken))?.DisplayName ?? entry.Provider;

    private static string Ended(DeliveryEntry entry) =>
        (entry.Status == DeliveryStatus.DeadLettered ? "been dead-lettered" : "failed for good")
        + $" after {entry.Attempts} attempt(s)" + (entry.LastError is { } error ? $", last error: {error}" : "");

    /// <summary>A run still counting (an export under way) counts the line again: pending after a retry, skipped once discarded.</summary>
    private Task RecountRunAsync(DeliveryEntry entry, CancellationToken cancellationToken) =>
        entry.RunId is null ? Task.CompletedTask : runLog.CountAsync(entry.DossierId, entry.RunId, cancellationToken);

    private HistoryEntry NewHistory(DeliveryEntry entry, HistoryEvent historyEvent, Caller caller, string detail) =>
        HistoryEntry.OfDelivery(entry, historyEvent, clock.GetUtcNow(), detail, actor: caller.Name);
}
