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
    /// <param name="inbox">
    /// Where the inbox container lives when not beside the others, e.g. the pipeline bench's own Azurite blob process:
    /// Azurite re-sorts the indexes of every blob it holds on each delete, so one emulator holding both the inbox
    /// (a delete per document) and the ever-growing archive slows down as the archive fills. Azure Storage does not.
    /// </param>
    public KoppelStorageClients(BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables, KoppelStorageNames names, BlobServiceClient? inbox = null)
    {
        Blobs = blobs;
        InboxBlobs = inbox ?? blobs;
        Queues = queues;
        Tables = tables;
        Names = names;
    }

    public BlobServiceClient Blobs { get; }

    /// <summary>The service of the inbox container: <see cref="Blobs"/> unless another was given.</summary>
    public BlobServiceClient InboxBlobs { get; }

    public QueueServiceClient Queues { get; }

    public TableServiceClient Tables { get; }

    public KoppelStorageNames Names { get; }

    /// <summary>From a connection string: Azurite, or an account key where managed identity is not available.</summary>
    /// <param name="observer">A pipeline policy added to all three clients, e.g. the bench's call counter.</param>
    /// <param name="inboxConnectionString">Another account for the inbox container only; null: the same account.</param>
    public static KoppelStorageClients FromConnectionString(string connectionString, string namePrefix = "", HttpPipelinePolicy? observer = null, string? inboxConnectionString = null) =>
        new(
            new BlobServiceClient(connectionString, With(new BlobClientOptions(), observer)),
            new QueueServiceClient(connectionString, With(QueueOptions(), observer)),
            new TableServiceClient(connectionString, With(new TableClientOptions(), observer)),
            new KoppelStorageNames(namePrefix),
            inboxConnectionString is null ? null : new BlobServiceClient(inboxConnectionString, With(new BlobClientOptions(), observer)));

    /// <summary>With an identity (managed identity in Azure): no key to leak or rotate.</summary>
    public static KoppelStorageClients FromServiceUris(Uri blobs, Uri queues, Uri tables, TokenCredential credential, string namePrefix = "") =>
        new(
            new BlobServiceClient(blobs, credential),
            new QueueServiceClient(queues, credential, QueueOptions()),
            new TableServiceClient(tables, credential),
            new KoppelStorageNames(namePrefix));

    public BlobContainerClient Container(string name) =>
        (string.Equals(name, Names.InboxContainer, StringComparison.Ordinal) ? InboxBlobs : Blobs).GetBlobContainerClient(name);

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
