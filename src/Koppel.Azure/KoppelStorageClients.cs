using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Koppel.Azure.Queues;

namespace Koppel.Azure;

/// <summary>The three storage service clients and the names of Koppel's containers, tables and queues in them.</summary>
public sealed class KoppelStorageClients
{
    public KoppelStorageClients(BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables, KoppelStorageNames names)
    {
        Blobs = blobs;
        Queues = queues;
        Tables = tables;
        Names = names;
    }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    public TableServiceClient Tables { get; }

    public KoppelStorageNames Names { get; }

    /// <summary>From a connection string: Azurite, or an account key where managed identity is not available.</summary>
    public static KoppelStorageClients FromConnectionString(string connectionString, string namePrefix = "") =>
        new(
            new BlobServiceClient(connectionString),
            new QueueServiceClient(connectionString, QueueOptions()),
            new TableServiceClient(connectionString),
            new KoppelStorageNames(namePrefix));

    /// <summary>With an identity (managed identity in Azure): no key to leak or rotate.</summary>
    public static KoppelStorageClients FromServiceUris(Uri blobs, Uri queues, Uri tables, TokenCredential credential, string namePrefix = "") =>
        new(
            new BlobServiceClient(blobs, credential),
            new QueueServiceClient(queues, credential, QueueOptions()),
            new TableServiceClient(tables, credential),
            new KoppelStorageNames(namePrefix));

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(name);

    public QueueClient Queue(string name) => Queues.GetQueueClient(name);

    public TableClient Table(string name) => Tables.GetTableClient(name);

    /// <summary>Base64 bodies are what the Functions queue trigger and most tools expect.</summary>
    private static QueueClientOptions QueueOptions()
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        options.MessageDecodingFailed += UndecodableMessageHandler.MoveToPoisonQueueAsync;
        return options;
    }
}
