using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Ports;
using Koppel.Core.Runs;
using Koppel.Core.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Koppel.Core.ReadBack;

/// <summary>
/// On a schedule (every 30 minutes by default): asks each connection that can say what became of a delivered document
/// (<see cref="IAcknowledgementReader"/>: the receiver moved the file; <see cref="IDeliveryStatusReader"/>: the provider's
/// status) about the deliveries still open in the <see cref="IReadBackIndex"/>, a batch at a time, and writes each change
/// into the document's history in the user's words, once. A final answer (processed, refused, gone) or the age limit ends
/// the asking about that delivery. One connection's failure is logged and in its run log; the others go on.
/// </summary>
public sealed class ReadBackHandler(
    IReadBackIndex index,
    IConnectionRepository connections,
    IDocumentHistory history,
    ConnectionService connectionService,
    ConnectorCatalog catalog,
    IRunLog runLog,
    TimeProvider clock,
    IOptions<ReadBackOptions> options,
    ILogger<ReadBackHandler> logger)
{
    private readonly ReadBackOptions _options = options.Value;

    /// <summary>True when deliveries through <paramref name="connector"/> with these settings are read back (and so indexed).</summary>
    public static bool ReadsBack(IConnector connector, ConnectorSettings settings) => connector switch
    {
        IDeliveryStatusReader => true,
        IAcknowledgementReader reader => reader.UsesAcknowledgements(settings),
        _ => false,
    };

    public async Task<ReadBackSummary> RunAsync(CancellationToken cancellationToken)
    {
        var total = new Totals();
        ConnectionRun? current = null;
        var batch = new List<ReadBackItem>(Math.Max(1, _options.BatchSize));
        await foreach (var item in index.ListAsync(cancellationToken))
        {
            if (current is null || current.DossierId != item.DossierId || current.ConnectionId != item.ConnectionId)
            {
                if (current is not null)
                {
                    await AskAsync(current, batch, cancellationToken);
                    await FinishAsync(current, total, cancellationToken);
                }

                current = await StartAsync(item, cancellationToken);
            }

            batch.Add(item);
            if (batch.Count >= Math.Max(1, _options.BatchSize))
            {
                await AskAsync(current, batch, cancellationToken);
            }
        }

        if (current is not null)
        {
            await AskAsync(current, batch, cancellationToken);
            await FinishAsync(current, total, cancellationToken);
        }

        var summary = new ReadBackSummary(total.Connections, total.Asked, total.Calls, total.Changes, total.GaveUp, total.NotUsed, total.Failed);
        logger.LogInformation(
            "Read back: {Connections} connections, {Asked} deliveries asked about in {Calls} calls, {Changes} changes written, {GaveUp} given up, {FailedConnections} connections failed",
            summary.Connections, summary.Asked, summary.Calls, summary.Changes, summary.GaveUp, summary.FailedConnections);
        return summary;
    }

    private async Task<ConnectionRun> StartAsync(ReadBackItem first, CancellationToken cancellationToken)
    {
        var run = new ConnectionRun(first.DossierId, first.ConnectionId, first.Provider, clock.GetUtcNow());
        try
        {
            run.Connection = await connections.GetAsync(first.DossierId, first.ConnectionId, cancellationToken);
            run.Connector = run.Connection is null ? null : catalog.Find(run.Connection.Provider);
            if (run.Connection is { Enabled: true } connection && run.Connector is not null)
            {
                (run.Settings, run.SecretValues) = await connectionService.LoadSettingsAsync(connection, cancellationToken);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            run.Fail(e);
        }

        return run;
    }

    /// <summary>Asks about the batch and records what changed; the batch is emptied.</summary>
    private async Task AskAsync(ConnectionRun run, List<ReadBackItem> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var items = batch.ToList();
        batch.Clear();
        var now = clock.GetUtcNow();

        // The connection is gone, or its connector cannot read back any more: nothing will ever answer.
        if (run.Connection is null || run.Connector is not (IAcknowledgementReader or IDeliveryStatusReader))
        {
            if (run.Error is null)
            {
                foreach (var item in items)
                {
                    await TryRemoveAsync(item, cancellationToken);
                    run.Dropped++;
                }
            }

            return;
        }

        var ask = new List<ReadBackItem>(items.Count);
        foreach (var item in items)
        {
            if (now - item.DeliveredAt > _options.GiveUpAfter)
            {
                var days = (int)Math.Round(_options.GiveUpAfter.TotalDays);
                var text = run.Connector is IAcknowledgementReader
                    ? $"{run.Target}: the receiver did not move the file to processed/ or error/ within {days} days; Koppel stopped looking."
                    : $"{run.Target}: no final status within {days} days; Koppel stopped asking.";
                if (await ReportAsync(run, item, ReadBackState.GaveUp, text, null, final: true, cancellationToken))
                {
                    run.GaveUp++;
                }
            }
            else if (item.State != ReadBackState.Waiting && !item.Reported && now - item.ChangedAt < _options.ClaimTimeout)
            {
                // Another run claimed a change a moment ago and is writing it.
            }
            else
            {
                ask.Add(item);
            }
        }

        if (ask.Count == 0 || run.Error is not null || !run.Connection.Enabled || run.Settings is null)
        {
            return;
        }

        try
        {
            var answers = await ReadAsync(run, ask, cancellationToken);
            foreach (var (item, answer) in answers)
            {
                run.Asked++;
                await RecordAsync(run, item, answer, cancellationToken);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            run.Fail(e);
        }
    }

    private static async Task<List<(ReadBackItem Item, Answer Answer)>> ReadAsync(ConnectionRun run, List<ReadBackItem> items, CancellationToken cancellationToken)
    {
        var answers = new List<(ReadBackItem, Answer)>(items.Count);
        if (run.Connector is IAcknowledgementReader reader)
        {
            run.Calls++;
            var found = (await reader.ReadAcknowledgementsAsync(run.Settings!, [.. items.Select(i => i.Reference)], cancellationToken))
                .GroupBy(a => a.Reference, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var item in items)
            {
                if (found.TryGetValue(item.Reference, out var acknowledgement))
                {
                    answers.Add((item, Describe(run, acknowledgement)));
                }
            }
        }
        else if (run.Connector is IDeliveryStatusReader statuses)
        {
            foreach (var item in items)
            {
                run.Calls++;
                var status = await statuses.ReadStatusAsync(run.Settings!, item.Reference, cancellationToken);
                var state = status.Kind switch
                {
                    ProviderStatusKind.Processed => ReadBackState.Processed,
                    ProviderStatusKind.Failed => ReadBackState.Rejected,
                    _ => ReadBackState.Waiting,
                };
                answers.Add((item, new Answer(state, status.Message, status.ProviderId)));
            }
        }

        return answers;
    }

    private static Answer Describe(ConnectionRun run, Acknowledgement acknowledgement) => acknowledgement.Status switch
    {
        AcknowledgementStatus.Processed => new Answer(ReadBackState.Processed, $"{run.Target}: the receiver moved the file to processed/ ({acknowledgement.Location ?? acknowledgement.Reference}).", acknowledgement.Location),
        AcknowledgementStatus.Rejected => new Answer(ReadBackState.Rejected, $"{run.Target}: the receiver moved the file to error/ ({acknowledgement.Location ?? acknowledgement.Reference}): it could not process it.", acknowledgement.Location),
        AcknowledgementStatus.Gone => new Answer(ReadBackState.Gone, $"{run.Target}: the file is no longer in its folder, nor in processed/ or error/ (deleted or moved elsewhere); Koppel stopped looking.", null),
        AcknowledgementStatus.NotUsed => new Answer(null, string.Empty, null),
        _ => new Answer(ReadBackState.Waiting, string.Empty, null),
    };

    private async Task RecordAsync(ConnectionRun run, ReadBackItem item, Answer answer, CancellationToken cancellationToken)
    {
        if (answer.State is not { } state)
        {
            // The connection no longer uses the convention: nothing to read back, nothing to say.
            await TryRemoveAsync(item, cancellationToken);
            run.NotUsed++;
            return;
        }

        if (state == ReadBackState.Waiting)
        {
            run.Waiting++;
            return;
        }

        if (state == item.State && item.Reported)
        {
            return;
        }

        var text = SecretScrubber.Scrub(answer.Text, run.SecretValues);
        if (await ReportAsync(run, item, state, text, answer.Reference, final: true, cancellationToken))
        {
            switch (state)
            {
                case ReadBackState.Processed: run.Processed++; break;
                case ReadBackState.Rejected: run.Rejected++; break;
                default: run.Gone++; break;
            }
        }
    }

    /// <summary>
    /// Claims the change on the item (an ETag-guarded write: of two overlapping runs only one wins), writes the history
    /// line, then removes the item (final) or marks it reported. A run that stops after the claim leaves the item
    /// unreported; a later run writes the line once the claim is older than <see cref="ReadBackOptions.ClaimTimeout"/>.
    /// </summary>
    private async Task<bool> ReportAsync(ConnectionRun run, ReadBackItem item, ReadBackState state, string text, string? reference, bool final, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        ReadBackItem claimed;
        try
        {
            claimed = await index.ReplaceAsync(item with { State = state, Reported = false, ChangedAt = now }, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return false; // another run has it
        }

        await history.AppendAsync(
            new HistoryEntry
            {
                DossierId = item.DossierId,
                DocumentId = item.DocumentId,
                Event = HistoryEvent.ReadBack,
                At = now,
                ConnectionId = item.ConnectionId,
                Provider = item.Provider,
                Reference = reference ?? item.Reference,
                Detail = text,
            },
            cancellationToken);
        try
        {
            if (final)
            {
                await index.RemoveAsync(claimed, cancellationToken);
            }
            else
            {
                await index.ReplaceAsync(claimed with { Reported = true }, cancellationToken);
            }
        }
        catch (ConcurrencyConflictException)
        {
            // Taken over meanwhile by a run that found the claim too old; it writes nothing new for the same state.
        }

        return true;
    }

    private async Task TryRemoveAsync(ReadBackItem item, CancellationToken cancellationToken)
    {
        try
        {
            await index.RemoveAsync(item, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Changed or removed by an overlapping run: it decides.
        }
    }

    private async Task FinishAsync(ConnectionRun run, Totals total, CancellationToken cancellationToken)
    {
        total.Connections++;
        total.Asked += run.Asked;
        total.Calls += run.Calls;
        total.Changes += run.Processed + run.Rejected + run.Gone;
        total.GaveUp += run.GaveUp;
        total.NotUsed += run.NotUsed;
        if (run.Error is not null)
        {
            total.Failed++;
            logger.LogWarning("Read back from connection {ConnectionId} ({Provider}) of dossier {DossierId} failed: {Error}", run.ConnectionId, run.Provider, run.DossierId, run.Error);
        }

        // The run log shows the runs that found something or failed; a run where everything still waits says nothing new.
        var changed = run.Processed + run.Rejected + run.Gone + run.GaveUp;
        if (changed == 0 && run.Error is null)
        {
            return;
        }

        var parts = new List<string>();
        Add(parts, run.Processed, "processed");
        Add(parts, run.Rejected, "refused");
        Add(parts, run.Gone, "gone");
        Add(parts, run.GaveUp, "given up after " + (int)Math.Round(_options.GiveUpAfter.TotalDays) + " days");
        Add(parts, run.Waiting, "still waiting");
        var result = run.Error is null
            ? $"Read back from {run.Target}: {string.Join(", ", parts)}; {run.Calls} {(run.Calls == 1 ? "call" : "calls")}."
            : $"Could not read back from {run.Target}: {run.Error}{(parts.Count == 0 ? string.Empty : $" ({string.Join(", ", parts)} before that)")}. Koppel asks again at the next run.";
        try
        {
            var entry = new RunLogEntry
            {
                DossierId = run.DossierId,
                RunId = RunIds.New(clock.GetUtcNow()),
                Category = RunCategory.ReadBack,
                Provider = run.Provider,
                ConnectionId = run.ConnectionId,
                Status = run.Error is not null ? (changed > 0 ? RunStatus.PartiallySucceeded : RunStatus.Failed) : RunStatus.Succeeded,
                StartedAt = run.StartedAt,
                EndedAt = clock.GetUtcNow(),
                ResultText = result,
                TotalDocuments = run.Asked + run.GaveUp,
                SucceededDocuments = run.Processed,
                FailedDocuments = run.Rejected + run.Gone,
                SkippedDocuments = run.GaveUp,
            };
            await runLog.AddAsync(entry, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Could not write the read-back run of connection {ConnectionId} of dossier {DossierId}", run.ConnectionId, run.DossierId);
        }

        static void Add(List<string> parts, int count, string what)
        {
            if (count > 0)
            {
                parts.Add($"{count} {what}");
            }
        }
    }

    private sealed record Answer(ReadBackState? State, string Text, string? Reference);

    private sealed class Totals
    {
        public int Connections { get; set; }

        public int Asked { get; set; }

        public int Calls { get; set; }

        public int Changes { get; set; }

        public int GaveUp { get; set; }

        public int NotUsed { get; set; }

        public int Failed { get; set; }
    }

    private sealed class ConnectionRun(string dossierId, string connectionId, string provider, DateTimeOffset startedAt)
    {
        public string DossierId { get; } = dossierId;

        public string ConnectionId { get; } = connectionId;

        public string Provider { get; } = provider;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public Connection? Connection { get; set; }

        public IConnector? Connector { get; set; }

        public ConnectorSettings? Settings { get; set; }

        public IReadOnlyCollection<string> SecretValues { get; set; } = [];

        public string Target => Connection?.DisplayName ?? Connector?.Descriptor.DisplayName ?? Provider;

        public string? Error { get; private set; }

        public int Asked { get; set; }

        public int Calls { get; set; }

        public int Waiting { get; set; }

        public int Processed { get; set; }

        public int Rejected { get; set; }

        public int Gone { get; set; }

        public int GaveUp { get; set; }

        public int NotUsed { get; set; }

        public int Dropped { get; set; }

        public void Fail(Exception e) => Error = SecretScrubber.Scrub(e is ConnectorConfigurationException ? e.Message : $"{e.GetType().Name}: {e.Message}", SecretValues);
    }
}
