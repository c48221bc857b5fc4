using Azure.Storage.Queues.Models;
using Koppel.Azure;
using Koppel.Azure.Queues;
using Koppel.Core.Relations;
using Koppel.Functions.Messaging;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Relations;

/// <summary>
/// Every five minutes (UTC): queue the relation syncs whose nightly slot (02:00 in the dossier's time zone by default,
/// <c>Koppel:Relations:Schedule</c>) is due; the wall-clock time is decided in code, each slot claimed once.
/// </summary>
public sealed class QueueRelationSyncsFunction(RelationSyncScheduler scheduler)
{
    [Function(nameof(QueueRelationSyncs))]
    public Task QueueRelationSyncs([TimerTrigger("30 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        scheduler.FanOutAsync(cancellationToken);
}

/// <summary>Runs one relation sync job: one connection's customers, suppliers, ledger accounts and VAT codes (a run-log line "sync relations").</summary>
public sealed class SyncRelationsFunction(RelationSyncHandler handler)
{
    // The host hands a message out at most 5 times (maxDequeueCount), then moves it to relationsyncs-poison; the next night syncs again.
    [Function(nameof(SyncRelations))]
    public async Task SyncRelations(
        [QueueTrigger(KoppelStorageNames.RelationSyncQueueName, Connection = "KoppelStorage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        var job = QueueJobMessages.Read(message, RelationSyncJobJson.TryDeserialize, "a relation sync job");

        await handler.RunAsync(job, cancellationToken);
    }
}
