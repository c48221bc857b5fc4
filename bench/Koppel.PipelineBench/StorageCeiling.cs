using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;

namespace Koppel.PipelineBench;

/// <summary>
/// What the storage account can do for documents when nothing but the unavoidable calls is made, with the pipeline's
/// own concurrency (8 ingesting, 16 delivering): the yardstick the pipeline's throughput is compared with.
/// </summary>
public static class StorageCeiling
{
    public const int CallsPerDocument = 7;

    public const string Description =
        "read the dropped blob, archive it, add a row, send a message; update the row, delete the message and the dropped blob; receive in batches of 32";

    public static async Task<(double DocumentsPerSecond, double CallsPerDocument)> MeasureAsync(string storage, string inboxStorage, string template, int documents, StorageCallCounter counter)
    {
        var prefix = "c" + Guid.NewGuid().ToString("N")[..10];
        var observed = Azure.KoppelStorageClients.FromConnectionString(storage, prefix, counter, inboxStorage);
        var inbox = observed.Container(prefix + "inbox");
        var archive = observed.Container(prefix + "archive");
        var table = observed.Table(prefix + "rows");
        var queue = observed.Queue(prefix + "work");
        await inbox.CreateIfNotExistsAsync();
        await archive.CreateIfNotExistsAsync();
        await table.CreateIfNotExistsAsync();
        await queue.CreateIfNotExistsAsync();
        var producer = new BlobServiceClient(inboxStorage).GetBlobContainerClient(inbox.Name);
        var outbox = Directory.CreateTempSubdirectory("koppel-ceiling-");

        // The producer announces each blob once it is there, as Event Grid does for the blob trigger.
        var dropped = Channel.CreateUnbounded<string>();
        counter.Reset();
        var watch = Stopwatch.StartNew();
        var producing = Task.Run(async () =>
        {
            await Parallel.ForEachAsync(Enumerable.Range(1, documents), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                var name = $"0403170701/ceiling-{i:D6}.xml";
                await producer.GetBlobClient(name).UploadAsync(BinaryData.FromString(template.Replace("MOL-CN-118", $"C-{i:D6}", StringComparison.Ordinal)), overwrite: true, ct);
                await dropped.Writer.WriteAsync(name, ct);
            });
            dropped.Writer.Complete();
        });

        var ingesting = Parallel.ForEachAsync(dropped.Reader.ReadAllAsync(), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (name, ct) =>
        {
            var download = await inbox.GetBlobClient(name).DownloadContentAsync(ct);
            var bytes = download.Value.Content.ToMemory();
            var id = Convert.ToHexStringLower(SHA256.HashData(bytes.Span));
            try
            {
                await archive.GetBlobClient("sha256/" + id).UploadAsync(
                    new BinaryData(bytes), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
            }

            await table.AddEntityAsync(new TableEntity("0403170701", id) { ["Name"] = name, ["Status"] = "Pending" }, ct);
            await queue.SendMessageAsync(id, ct);
            await inbox.GetBlobClient(name).DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = download.Value.Details.ETag }, cancellationToken: ct);
        });

        var delivered = 0;
        using var slots = new SemaphoreSlim(16, 16);
        var running = new List<Task>();
        while (Volatile.Read(ref delivered) < documents)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value;
            if (batch.Length == 0)
            {
                await Task.Delay(50);
                continue;
            }

            foreach (var message in batch)
            {
                await slots.WaitAsync();
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        var id = message.Body.ToString();
                        await File.WriteAllTextAsync(Path.Combine(outbox.FullName, id), id);
                        await table.UpdateEntityAsync(new TableEntity("0403170701", id) { ["Status"] = "Delivered" }, ETag.All, TableUpdateMode.Merge);
                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                        Interlocked.Increment(ref delivered);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }));
            }
        }

        await Task.WhenAll(running);
        await ingesting;
        await producing;
        var elapsed = watch.Elapsed;
        var calls = counter.Snapshot().Total;
        outbox.Delete(recursive: true);
        await inbox.DeleteIfExistsAsync();
        await archive.DeleteIfExistsAsync();
        await table.DeleteAsync();
        await queue.DeleteIfExistsAsync();
        return (documents / elapsed.TotalSeconds, calls / (double)documents);
    }
}
