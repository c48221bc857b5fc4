using Azure.Storage.Blobs;
using Koppel.Core.Ingestion;
using Koppel.Core.Ports;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Ingestion;

/// <summary>A file lands in inbox/{dossier}/{name}: archive or quarantine it and queue its deliveries.</summary>
public sealed class IngestBlobFunction(IInbox inbox, IngestHandler ingest)
{
    // Flex Consumption has no polling blob trigger: Event Grid's BlobCreated event starts this function
    // (infra/modules/storage.bicep subscribes the inbox container). The trigger binds a BlobClient, not the content:
    // the handler streams the file itself, twice (read, then archive), without holding it in memory.
    [Function(nameof(IngestBlob))]
    public async Task IngestBlob(
        [BlobTrigger("inbox/{dossier}/{name}", Source = BlobTriggerSource.EventGrid, Connection = "KoppelStorage")] BlobClient blob,
        CancellationToken cancellationToken)
    {
        // An event can come twice or after the file was handled already; a file gone from the inbox means done.
        var item = await inbox.GetAsync(blob.Name, cancellationToken);
        if (item is not null)
        {
            await ingest.HandleAsync(item, cancellationToken);
        }
    }
}
