using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Storage.Blobs;
using Koppel.Core.Dossiers;
using Koppel.Core.Security;
using Koppel.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Pushes N synthetic purchase invoices through the self-hosted pipeline (blob inbox on Azurite → ingest →
// storage queue → local-folder connector) and prints throughput and drop-to-delivered latency.
//   dotnet run -c Release --project bench/Koppel.PipelineBench -- [documents=200] [storage connection string]
var documents = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var storage = args.Length > 1 ? args[1] :
    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
    "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";
const string Dossier = "0403170701";
var prefix = "b" + Guid.NewGuid().ToString("N")[..10];
var work = Directory.CreateTempSubdirectory("koppel-bench-").FullName;
var outbox = Path.Combine(work, "outbox");
Directory.CreateDirectory(outbox);

var app = KoppelServer.Build([], builder =>
{
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Koppel:Azure:StorageConnectionString"] = storage,
        ["Koppel:Azure:NamePrefix"] = prefix,
        ["Koppel:Azure:KeyRingDirectory"] = Path.Combine(work, "keys"),
        ["Koppel:Connectors:LocalFolder:AllowedRoots:0"] = work,
        ["Koppel:Azure:AllowUnprotectedKeyRing"] = "true", // a throw-away bench store that holds no credentials
        ["Koppel:Server:InboxPollInterval"] = "00:00:00.200",
        ["Koppel:Server:QueuePollInterval"] = "00:00:00.050",
        ["Koppel:Server:IngestConcurrency"] = "8",
        ["Koppel:Server:DeliveryConcurrency"] = "16",
        ["Logging:LogLevel:Default"] = "Warning",
    });
    builder.WebHost.UseUrls("http://127.0.0.1:0");
});
await app.StartAsync();
await app.Services.GetRequiredService<DossierService>().CreateAsync(new DossierInput("Bench BV", Dossier, null, null, null), Caller.System, default);
await app.Services.GetRequiredService<ConnectionService>().CreateAsync(
    Dossier,
    new ConnectionInput("local-folder", "Bench outbox", ["PurchaseInvoice"], new Dictionary<string, string> { ["path"] = outbox, ["layout"] = "" }, null, true),
    Caller.System,
    default);

var template = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "demo-credit-note.xml"));
var inbox = new BlobServiceClient(storage).GetBlobContainerClient(prefix + "inbox");
await inbox.CreateIfNotExistsAsync();
var dropped = new ConcurrentDictionary<string, long>();
var delivered = new ConcurrentDictionary<string, long>();
var watch = Stopwatch.StartNew();

var dropping = Parallel.ForEachAsync(Enumerable.Range(1, documents), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
{
    var name = $"bench-{i:D6}";
    var bytes = Encoding.UTF8.GetBytes(template.Replace("MOL-CN-118", $"BENCH-{i:D6}", StringComparison.Ordinal));
    dropped[name] = watch.ElapsedTicks;
    await inbox.GetBlobClient($"{Dossier}/{name}.xml").UploadAsync(new BinaryData(bytes), overwrite: true, ct);
});

var folder = Path.Combine(outbox, Dossier);
var deadline = TimeSpan.FromMinutes(10);
while (delivered.Count < documents && watch.Elapsed < deadline)
{
    if (Directory.Exists(folder))
    {
        foreach (var file in Directory.EnumerateFiles(folder, "bench-*.xml"))
        {
            var name = Path.GetFileName(file)[..12];
            delivered.TryAdd(name, watch.ElapsedTicks);
        }
    }

    await Task.Delay(20);
}

await dropping;
var elapsed = watch.Elapsed;

// Then one document at a time on an idle pipeline: the latency a single invoice sees, without a backlog.
var single = new List<double>();
for (var i = 1; i <= 20; i++)
{
    var name = $"solo-{i:D6}";
    var bytes = Encoding.UTF8.GetBytes(template.Replace("MOL-CN-118", $"SOLO-{i:D6}", StringComparison.Ordinal));
    var started = Stopwatch.GetTimestamp();
    await inbox.GetBlobClient($"{Dossier}/{name}.xml").UploadAsync(new BinaryData(bytes), overwrite: true);
    while (!Directory.EnumerateFiles(folder, $"{name}_*").Any() && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
    {
        await Task.Delay(5);
    }

    single.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}

await app.StopAsync();

var latencies = delivered.Select(d => TimeSpan.FromTicks((long)((d.Value - dropped[d.Key]) * (TimeSpan.TicksPerSecond / (double)Stopwatch.Frequency)))).Order().ToList();
double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)].TotalMilliseconds;
Console.WriteLine($"documents:  {delivered.Count} of {documents} delivered in {elapsed.TotalSeconds:0.0} s");
Console.WriteLine($"throughput: {delivered.Count / elapsed.TotalSeconds:0.0} documents/s");
Console.WriteLine($"latency:    p50 {Percentile(0.50):0} ms, p99 {Percentile(0.99):0} ms (all {documents} dropped at once: drop into blob inbox -> file in the local folder)");
single.Sort();
Console.WriteLine($"single:     p50 {single[single.Count / 2]:0} ms, max {single[^1]:0} ms (20 documents one at a time on an idle pipeline; inbox polled every 200 ms)");
Directory.Delete(work, recursive: true);
return delivered.Count == documents ? 0 : 1;
