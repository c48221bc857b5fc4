using System.Diagnostics;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Events;
using Koppel.Core.Ports;
using Koppel.Core.ReadBack;
using Koppel.Core.Runs;
using Koppel.Core.Security;
using Koppel.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Delivery;

/// <summary>
/// Delivers one document to one connection and records the outcome in the ledger, the history and the run log.
/// The ledger is consulted first and claimed with an optimistic lock, so a duplicate message or a second worker
/// never sends twice; a claim left by a crashed worker expires and is taken over.
/// </summary>
public sealed class DeliveryHandler(
    IDeliveryLedger ledger,
    IDossierRepository dossiers,
    IConnectionRepository connections,
    IDocumentRepository documents,
    IDocumentArchive archive,
    IDocumentHistory history,
    ConnectionService connectionService,
    ConnectorCatalog catalog,
    RunLogWriter runLog,
    EventPublisher events,
    ConnectionHealthRecorder health,
    IReadBackIndex readBack,
    TimeProvider clock,
    IOptions<DeliveryOptions> options,
    ILogger<DeliveryHandler> logger)
{
    private readonly DeliveryOptions _options = options.Value;
    private readonly RetryPolicy _retry = new(options.Value);

    public async Task<DeliveryOutcome> HandleAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // One span per attempt, in the trace the request carries from the document's arrival (DeliveryRequest.TraceParent).
        using var activity = KoppelTelemetry.StartDeliver(request);
        var outcome = await AttemptAsync(request, cancellationToken);
        activity?.SetTag(KoppelTelemetry.Tags.Outcome, outcome.Kind.ToString());
        if (outcome.Kind == DeliveryOutcomeKind.DeadLetter)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "dead-lettered");
        }

        return outcome;
    }

    private async Task<DeliveryOutcome> AttemptAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        var entry = await ledger.GetAsync(request.DossierId, request.DeliveryId, cancellationToken);
        if (entry is null)
        {
            return DeliveryOutcome.DeadLetter($"Delivery {request.DeliveryId} is not in the ledger of dossier {request.DossierId}.");
        }

        if (entry.IsFinal)
        {
            return DeliveryOutcome.Complete($"Delivery {entry.DeliveryId} is {entry.Status} already; duplicate message ignored.");
        }

        var now = clock.GetUtcNow();
        if (entry.Status == DeliveryStatus.InProgress && entry.ClaimedUntil > now)
        {
            return DeliveryOutcome.Retry(entry.ClaimedUntil.Value - now + TimeSpan.FromSeconds(1), "Another worker is delivering it right now.");
        }

        var connection = await connections.GetRecentAsync(request.DossierId, entry.ConnectionId, cancellationToken);
        var document = await documents.GetAsync(request.DossierId, entry.DocumentId, cancellationToken);
        var dossier = await dossiers.GetRecentAsync(request.DossierId, cancellationToken);
        if (connection is null || dossier is null || document is null || !connection.Enabled)
        {
            var why = connection is null ? "the connection was deleted"
                : !connection.Enabled ? "the connection is disabled"
                : dossier is null ? "the dossier was deleted"
                : "the document record is missing";
            await FinishAsync(entry, DeliveryStatus.Skipped, null, $"Not delivered: {why}.", HistoryEvent.Skipped, cancellationToken);
            return DeliveryOutcome.Complete(why);
        }

        DeliveryEntry claimed;
        try
        {
            claimed = await ledger.ReplaceAsync(
                entry with { Status = DeliveryStatus.InProgress, Attempts = entry.Attempts + 1, ClaimedUntil = now + _options.ClaimDuration, ClaimedBy = _options.Claimant, UpdatedAt = now },
                cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return DeliveryOutcome.Retry(TimeSpan.FromSeconds(5), "The ledger entry changed while claiming it.");
        }

        var connector = catalog.Find(connection.Provider);
        if (connector is null)
        {
            return await FailAsync(claimed, connection, $"This build has no connector '{connection.Provider}'.", permanent: true, null, [], cancellationToken);
        }

        IReadOnlyCollection<string> secretValues = [];
        ConnectorSettings? settings = null;
        DeliveryResult result;
        var callStarted = clock.GetTimestamp();
        try
        {
            (settings, var values) = await connectionService.LoadSettingsAsync(connection, cancellationToken);
            secretValues = values;
            var context = new DeliveryContext(claimed.DeliveryId, dossier, connection, document, settings, archive.OpenReadAsync);
            using var call = KoppelTelemetry.StartConnectorCall(connection.Provider, dossier.Id, connection.Id, document.Id);
            result = await connector.DeliverAsync(context, cancellationToken);
            call?.SetTag(KoppelTelemetry.Tags.Outcome, result.Kind.ToString());
        }
        catch (ConnectorConfigurationException ex)
        {
            result = DeliveryResult.Permanent(ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A connector reports the failures it understands; anything else (network, provider library) is worth a retry.
            var reason = $"{ex.GetType().Name}: {ex.Message}";
            result = ex is HttpRequestException or System.Net.Sockets.SocketException or TimeoutException or IOException
                ? DeliveryResult.TransientUnreachable(reason)
                : DeliveryResult.Transient(reason);
        }

        var tags = new TagList { { KoppelTelemetry.Tags.Provider, connection.Provider }, { KoppelTelemetry.Tags.Kind, document.Kind.ToString() } };
        KoppelTelemetry.Metrics.ProviderCallDuration.Record(clock.GetElapsedTime(callStarted).TotalSeconds, tags);
        await RecordHealthAsync(connection, result, secretValues, cancellationToken);
        if (result.Kind == DeliveryResultKind.Delivered && result.Notes.Count > 0)
        {
            await history.AppendAsync(
                [.. result.Notes.Select(note => NewHistory(claimed, HistoryEvent.Party, SecretScrubber.Scrub(note, secretValues)))],
                cancellationToken);
        }

        var outcome = result.Kind switch
        {
            DeliveryResultKind.Delivered => await SucceedAsync(claimed, connection, result.Reference ?? claimed.DeliveryId, settings is not null && ReadBackHandler.ReadsBack(connector, settings), cancellationToken),
            DeliveryResultKind.Permanent => await FailAsync(claimed, connection, result.Reason ?? "rejected", permanent: true, null, secretValues, cancellationToken),
            DeliveryResultKind.Deferred => await DeferAsync(claimed, connection, result, secretValues, cancellationToken),
            _ => await FailAsync(claimed, connection, result.Reason ?? "transient failure", permanent: false, result.RetryAfter, secretValues, cancellationToken),
        };
        Count(result.Kind, outcome, claimed, tags);
        return outcome;
    }

    /// <summary>The delivery metrics: delivered (with the time since it was queued), failed attempts, dead letters.</summary>
    private void Count(DeliveryResultKind result, DeliveryOutcome outcome, DeliveryEntry entry, TagList tags)
    {
        switch (result)
        {
            case DeliveryResultKind.Delivered:
                KoppelTelemetry.Metrics.DeliveriesDelivered.Add(1, tags);
                KoppelTelemetry.Metrics.DeliveryDuration.Record((clock.GetUtcNow() - entry.CreatedAt).TotalSeconds, tags);
                break;
            case DeliveryResultKind.Permanent or DeliveryResultKind.Transient:
                KoppelTelemetry.Metrics.DeliveriesFailed.Add(1, tags);
                break;
        }

        if (outcome.Kind == DeliveryOutcomeKind.DeadLetter)
        {
            KoppelTelemetry.Metrics.DeliveriesDeadLettered.Add(1, tags);
        }
    }

    /// <summary>A delivery that worked heals the connection; one that says the connection is broken marks it.</summary>
    private async Task RecordHealthAsync(Connection connection, DeliveryResult result, IReadOnlyCollection<string> secretValues, CancellationToken cancellationToken)
    {
        if (result.LearnedSettings.Count > 0)
        {
            var stored = await connections.GetAsync(connection.DossierId, connection.Id, cancellationToken);
            if (stored is not null && ConnectionService.WithLearnedSettings(stored, result.LearnedSettings) is var learned && !ReferenceEquals(learned, stored))
            {
                await connections.UpsertAsync(learned, cancellationToken);
                connection = learned;
            }
        }

        await health.RecordAsync(connection, result, secretValues, cancellationToken);
    }

    /// <summary>Held back on purpose: back to pending without spending an attempt, and said so in the history.</summary>
    private async Task<DeliveryOutcome> DeferAsync(DeliveryEntry entry, Connection connection, DeliveryResult result, IReadOnlyCollection<string> secretValues, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var notBefore = result.NotBefore ?? now + _options.FirstRetryDelay;
        var reason = SecretScrubber.Scrub(result.Reason ?? "deferred", secretValues);
        await ledger.ReplaceAsync(
            entry with { Status = DeliveryStatus.Pending, Attempts = Math.Max(0, entry.Attempts - 1), ClaimedUntil = null, LastError = reason, UpdatedAt = now },
            cancellationToken);
        await history.AppendAsync(NewHistory(entry, HistoryEvent.Deferred, reason), cancellationToken);
        logger.LogInformation("Delivery {DeliveryId} deferred until {NotBefore}: {Reason}", entry.DeliveryId, notBefore, reason);
        return DeliveryOutcome.Retry(notBefore > now ? notBefore - now : TimeSpan.Zero, reason);
    }

    private async Task<DeliveryOutcome> SucceedAsync(DeliveryEntry entry, Connection connection, string reference, bool readBackLater, CancellationToken cancellationToken)
    {
        var target = connection.DisplayName ?? connection.Provider;
        if (readBackLater)
        {
            // Indexed before the ledger says delivered: a crash in between delivers again and adds nothing twice.
            await readBack.AddIfAbsentAsync(
                new ReadBackItem
                {
                    DossierId = entry.DossierId,
                    ConnectionId = entry.ConnectionId,
                    DeliveryId = entry.DeliveryId,
                    DocumentId = entry.DocumentId,
                    Provider = entry.Provider,
                    Reference = reference,
                    DeliveredAt = clock.GetUtcNow(),
                },
                cancellationToken);
        }

        // Published before the ledger says delivered: a crash in between delivers again (the connector finds its own
        // booking) and publishes again with the same event id, rather than never.
        await events.PublishAsync(PlatformEvents.DocumentDelivered(entry, reference, clock.GetUtcNow()), cancellationToken);
        await FinishAsync(entry with { ProviderReference = reference, LastError = null }, DeliveryStatus.Delivered, reference, $"Delivered to {target}, reference {reference}.", HistoryEvent.Delivered, cancellationToken);
        logger.LogInformation("Delivered {DeliveryId} of dossier {DossierId} to {Provider} as {Reference}", entry.DeliveryId, entry.DossierId, connection.Provider, reference);
        return DeliveryOutcome.Complete($"Delivered as {reference}.");
    }

    private async Task<DeliveryOutcome> FailAsync(DeliveryEntry entry, Connection connection, string reason, bool permanent, TimeSpan? retryAfter, IReadOnlyCollection<string> secretValues, CancellationToken cancellationToken)
    {
        reason = SecretScrubber.Scrub(reason, secretValues);
        var target = connection.DisplayName ?? connection.Provider;
        if (permanent)
        {
            await events.PublishAsync(PlatformEvents.DeliveryFailed(entry, DeliveryStatus.Failed, reason, clock.GetUtcNow()), cancellationToken);
            await FinishAsync(entry with { LastError = reason }, DeliveryStatus.Failed, null, $"Failed for good at {target}: {reason}", HistoryEvent.Failed, cancellationToken);
            logger.LogWarning("Delivery {DeliveryId} of dossier {DossierId} to {Provider} failed permanently: {Reason}", entry.DeliveryId, entry.DossierId, connection.Provider, reason);

            // One vocabulary: "dead-lettered" means only "gave up after the attempt limit" (status DeadLettered).
            // A permanent failure is status Failed, and its message is done with: sending it again cannot help.
            return DeliveryOutcome.Complete($"Failed: {reason}");
        }

        if (_retry.ShouldDeadLetter(entry.Attempts))
        {
            var text = $"Dead-lettered after {entry.Attempts} attempts at {target}; last error: {reason}";
            await events.PublishAsync(PlatformEvents.DeliveryFailed(entry, DeliveryStatus.DeadLettered, reason, clock.GetUtcNow()), cancellationToken);
            await FinishAsync(entry with { LastError = reason }, DeliveryStatus.DeadLettered, null, text, HistoryEvent.DeadLettered, cancellationToken);
            logger.LogWarning("Delivery {DeliveryId} of dossier {DossierId} dead-lettered after {Attempts} attempts: {Reason}", entry.DeliveryId, entry.DossierId, entry.Attempts, reason);
            return DeliveryOutcome.DeadLetter(text);
        }

        var delay = _retry.DelayAfter(entry.Attempts, retryAfter);
        var now = clock.GetUtcNow();
        await ledger.ReplaceAsync(entry with { Status = DeliveryStatus.Pending, ClaimedUntil = null, LastError = reason, UpdatedAt = now }, cancellationToken);
        var detail = $"Attempt {entry.Attempts} of {_options.MaxAttempts} at {target} failed: {reason}. Next try at {now + delay:u}.";
        await history.AppendAsync(NewHistory(entry, HistoryEvent.RetryScheduled, detail), cancellationToken);
        await runLog.RecordAsync(entry.DossierId, RunCategory.Delivery, RunStatus.Failed, detail, 1, connection.Provider, connection.Id, cancellationToken: cancellationToken);
        logger.LogInformation("Delivery {DeliveryId} attempt {Attempt} failed, retrying in {Delay}: {Reason}", entry.DeliveryId, entry.Attempts, delay, reason);
        return DeliveryOutcome.Retry(delay, reason);
    }

    private async Task FinishAsync(DeliveryEntry entry, DeliveryStatus status, string? reference, string text, HistoryEvent historyEvent, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await ledger.ReplaceAsync(entry with { Status = status, ClaimedUntil = null, UpdatedAt = now }, cancellationToken);
        await history.AppendAsync(HistoryEntry.OfDelivery(entry, historyEvent, now, text, reference), cancellationToken);
        var runStatus = status == DeliveryStatus.Delivered ? RunStatus.Succeeded : RunStatus.Failed;
        await runLog.RecordAsync(entry.DossierId, RunCategory.Delivery, runStatus, text, 1, entry.Provider, entry.ConnectionId, cancellationToken: cancellationToken);
        if (entry.RunId is not null)
        {
            await runLog.CountAsync(entry.DossierId, entry.RunId, cancellationToken);
        }
    }

    // The ledger line names its connection and provider (a connection's provider never changes).
    private HistoryEntry NewHistory(DeliveryEntry entry, HistoryEvent historyEvent, string detail) =>
        HistoryEntry.OfDelivery(entry, historyEvent, clock.GetUtcNow(), detail);
}
