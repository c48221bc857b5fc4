using Koppel.Core.Domain;
using Koppel.Core.Ports;

namespace Koppel.Core.Delivery;

/// <summary>
/// Turns "this document should go to these connections" into ledger entries and queue messages.
/// The ledger entry is written before the message, so a crash in between leaves pending work the sweeper finds.
/// </summary>
public sealed class DeliveryDispatcher(IDeliveryLedger ledger, IWorkQueue queue, IDocumentHistory history, TimeProvider clock)
{
    /// <summary>Queues the document for each connection; returns the entries, including ones already final (which are not queued again).</summary>
    /// <param name="earlierEvents">History of the same document to record together with the queued events (ingest's "received").</param>
    public async Task<IReadOnlyList<DeliveryEntry>> DispatchAsync(
        DocumentRecord document,
        IEnumerable<Connection> connections,
        string? runId,
        string? generation,
        string actor,
        CancellationToken cancellationToken,
        IReadOnlyList<HistoryEntry>? earlierEvents = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(connections);
        var entries = new List<DeliveryEntry>();
        var events = new List<HistoryEntry>(earlierEvents ?? []);
        foreach (var connection in connections)
        {
            var now = clock.GetUtcNow();
            var entry = await ledger.AddIfAbsentAsync(
                new DeliveryEntry
                {
                    DossierId = document.DossierId,
                    DeliveryId = DeliveryIds.For(document.Id, connection.Id, generation),
                    DocumentId = document.Id,
                    ConnectionId = connection.Id,
                    Provider = connection.Provider,
                    RunId = runId,
                    CreatedAt = now,
                    UpdatedAt = now,
                },
                cancellationToken);
            entries.Add(entry);
            if (entry.IsFinal)
            {
                continue;
            }

            await queue.EnqueueAsync(DeliveryRequest.NextAttemptOf(entry, now), delay: null, cancellationToken);
            events.Add(
                new HistoryEntry
                {
                    DossierId = document.DossierId,
                    DocumentId = document.Id,
                    Event = generation is null ? HistoryEvent.Queued : HistoryEvent.Resent,
                    At = now,
                    ConnectionId = connection.Id,
                    Provider = connection.Provider,
                    Detail = generation is null
                        ? $"Queued for {connection.DisplayName ?? connection.Provider}."
                        : $"Resent to {connection.DisplayName ?? connection.Provider} by {actor}.",
                    Actor = actor,
                });
        }

        // One write for the document's events: they sort by time, not by the order they are stored in.
        if (events.Count > 0)
        {
            await history.AppendAsync(events, cancellationToken);
        }

        return entries;
    }
}
