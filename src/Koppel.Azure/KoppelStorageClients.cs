using Azure.Core;
using Azure.Core.Pipeline;
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
    /// <param name="observer">A pipeline policy added to all three clients, e.g. the bench's call counter.</param>
    public static KoppelStorageClients FromConnectionString(string connectionString, string namePrefix = "", HttpPipelinePolicy? observer = null) =>
        new(
            new BlobServiceClient(connectionString, With(new BlobClientOptions(), observer)),
            new QueueServiceClient(connectionString, With(QueueOptions(), observer)),
            new TableServiceClient(connectionString, With(new TableClientOptions(), observer)),
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

    private static T With<T>(T options, HttpPipelinePolicy? observer)
        where T : ClientOptions
    {
        if (observer is not null)
        {
            options.AddPolicy(observer, HttpPipelinePosition.PerRetry);
        }

        return options;
    }

    /// <summary>Base64 bodies are what the Functions queue trigger and most tools expect.</summary>
    private static QueueClientOptions QueueOptions()
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        options.MessageDecodingFailed += UndecodableMessageHandler.MoveToPoisonQueueAsync;
        return options;
    }
}
