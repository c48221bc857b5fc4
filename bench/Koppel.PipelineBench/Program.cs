using System.Globalization;
using Azure.Storage.Blobs;
using Koppel.Azure;
using Koppel.PipelineBench;

// Measures the self-hosted pipeline against the storage it runs on, in one run:
//   1. the ceiling: the storage calls one document cannot do without, issued bare against the same Azurite;
//   2. a burst: N documents dropped at once (throughput, calls per document by kind);
//   3. steady arrival at half the ceiling (p50/p99 drop-to-delivered);
//   4. optionally, memory over a long run (closed loop: a fixed number of documents in flight).
//
//   dotnet run -c Release --project bench/Koppel.PipelineBench -- [documents=2000] [steady=30] [memory=0] [inflight=64] [dossiers=1] [inbox=<connection string>] [sample=memory/20] [storage=<connection string>]
// name=value; a later value wins, so a wrapper script's defaults can be overridden.
var settings = args.Select(a => a.Split('=', 2)).Where(p => p.Length == 2)
    .GroupBy(p => p[0], StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.OrdinalIgnoreCase);
var documents = int.Parse(settings.GetValueOrDefault("documents", "2000"), CultureInfo.InvariantCulture);
var steadySeconds = int.Parse(settings.GetValueOrDefault("steady", "30"), CultureInfo.InvariantCulture);
var memoryDocuments = int.Parse(settings.GetValueOrDefault("memory", "0"), CultureInfo.InvariantCulture);
var dossierIds = PipelineUnderTest.DossierIds(int.Parse(settings.GetValueOrDefault("dossiers", "1"), CultureInfo.InvariantCulture));
var storage = settings.GetValueOrDefault("storage") ??
    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
    "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

// The inbox on another account: see KoppelStorageClients for why a long run on Azurite wants its own blob process.
var inboxStorage = settings.GetValueOrDefault("inbox") ?? storage;

var template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "samples", "demo-credit-note.xml"));
var counter = new StorageCallCounter();

Console.WriteLine($"== ceiling: {StorageCeiling.CallsPerDocument} storage calls per document, nothing else ({StorageCeiling.Description})");
var ceiling = await StorageCeiling.MeasureAsync(storage, inboxStorage, template, documents, counter);
Console.WriteLine($"ceiling:    {ceiling.DocumentsPerSecond:0.0} documents/s ({ceiling.CallsPerDocument:0.0} calls per document counted)");

await using var pipeline = await PipelineUnderTest.StartAsync(storage, inboxStorage, counter, dossierIds);
var producer = new BlobServiceClient(inboxStorage).GetBlobContainerClient(pipeline.InboxContainer);
await producer.CreateIfNotExistsAsync();
var drops = new Dropper(producer, dossierIds, template);

Console.WriteLine($"== burst: {documents} documents dropped at once, over {dossierIds.Count} dossier(s)");
counter.Reset();
var burst = await drops.BurstAsync("burst", documents, pipeline.Delivered, TimeSpan.FromMinutes(15));
var calls = counter.Snapshot();
Console.WriteLine($"pipeline:   {burst.Delivered} of {documents} delivered, {burst.DocumentsPerSecond:0.0} documents/s = {burst.DocumentsPerSecond / ceiling.DocumentsPerSecond:P0} of the ceiling");
Console.WriteLine($"calls:      {calls.Total / (double)Math.Max(1, burst.Delivered):0.0} storage calls per document (ceiling: {StorageCeiling.CallsPerDocument})");
foreach (var (kind, count) in calls.ByKind.OrderByDescending(k => k.Value).ThenBy(k => k.Key, StringComparer.Ordinal))
{
    Console.WriteLine($"            {count / (double)Math.Max(1, burst.Delivered),5:0.00}  {kind}");
}

Console.WriteLine($"latency:    p50 {burst.Percentile(0.50):0} ms, p99 {burst.Percentile(0.99):0} ms (backlog of {documents}: a measure of the queue, not of the pipeline)");

var rate = Math.Max(1, ceiling.DocumentsPerSecond / 2);
Console.WriteLine($"== steady: {rate:0.0} documents/s (half the ceiling) for {steadySeconds} s");
var steady = await drops.SteadyAsync("steady", rate, TimeSpan.FromSeconds(steadySeconds), pipeline.Delivered, TimeSpan.FromMinutes(5));
Console.WriteLine($"steady:     {steady.Delivered} delivered, p50 {steady.Percentile(0.50):0} ms, p99 {steady.Percentile(0.99):0} ms, max {steady.Percentile(1):0} ms drop-to-delivered");

if (memoryDocuments > 0)
{
    var inFlight = int.Parse(settings.GetValueOrDefault("inflight", "64"), CultureInfo.InvariantCulture);
    var sampleEvery = int.Parse(settings.GetValueOrDefault("sample", Math.Max(1, memoryDocuments / 20).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
    Console.WriteLine($"== memory: {memoryDocuments} documents, {inFlight} in flight, a sample every {sampleEvery}");
    var memory = await drops.MemoryAsync("memory", memoryDocuments, inFlight, sampleEvery, pipeline.Delivered, sample =>
    {
        Console.WriteLine($"memory:     after {sample.Documents,7} documents ({sample.Elapsed:hh\\:mm\\:ss}, {sample.DocumentsPerSecond:0.0}/s): " +
            $"managed heap {sample.ManagedBytes / 1048576.0,6:0.0} MiB, working set {sample.WorkingSetBytes / 1048576.0,6:0.0} MiB");
        Console.Out.Flush();
    });
    Console.WriteLine($"memory:     {memory.Delivered} delivered, {memory.Lost} not delivered within 5 minutes");
}

Console.WriteLine($"summary:    ceiling {ceiling.DocumentsPerSecond:0.0}/s, pipeline {burst.DocumentsPerSecond:0.0}/s ({burst.DocumentsPerSecond / ceiling.DocumentsPerSecond:P0}), " +
    $"{calls.Total / (double)Math.Max(1, burst.Delivered):0.0} calls/document, steady p99 {steady.Percentile(0.99):0} ms");
return burst.Delivered == documents && steady.Delivered == steady.Dropped ? 0 : 1;
