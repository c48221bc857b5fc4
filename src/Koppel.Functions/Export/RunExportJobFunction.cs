using Azure.Storage.Queues.Models;
using Koppel.Azure;
using Koppel.Azure.Queues;
using Koppel.Core.Export;
using Koppel.Functions.Messaging;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Export;

/// <summary>Runs a manual export's job: queues its deliveries page by page, going on where an earlier pick-up stopped.</summary>
public sealed class RunExportJobFunction(ExportHandler exports)
{
    // The storage queue the API's export requests go to (Koppel's own storage account, identity-based "KoppelStorage").
    // The host hands a message out at most 5 times (maxDequeueCount); the handler ends the run on the 5th pick-up
    // instead of leaving it open beside a poison message.
    [Function(nameof(RunExportJob))]
    public async Task RunExportJob(
        [QueueTrigger(KoppelStorageNames.ExportJobQueueName, Connection = "KoppelStorage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        var job = QueueJobMessages.Read(message, ExportJobJson.TryDeserialize, "an export job");

        await exports.RunJobAsync(job, (int)message.DequeueCount, cancellationToken);
    }
}
