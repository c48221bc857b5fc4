using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime;
using System.Text;
using Azure.Storage.Blobs;

namespace Koppel.PipelineBench;

/// <summary>
/// Drops synthetic purchase invoices into the blob inbox, taking the dossiers in turn (each document made that
/// dossier's by its enterprise number), and times each until it is delivered.
/// </summary>
public sealed class Dropper(BlobContainerClient inbox, IReadOnlyList<string> dossiers, string template)
{
    private readonly string[] _templates = dossiers.Select(d => template.Replace(PipelineUnderTest.DossierId, d, StringComparison.Ordinal)).ToArray();
    private long _next = -1;

    private readonly ConcurrentDictionary<string, long> _dropped = new(StringComparer.Ordinal);

    public async Task<Result> BurstAsync(string series, int documents, ConcurrentDictionary<string, long> delivered, TimeSpan deadline)
    {
        var names = Enumerable.Range(1, documents).Select(i => $"{series}-{i:D6}").ToList();
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (name, ct) => await DropAsync(name, ct));
        await WaitAsync(names, delivered, deadline);
        var last = names.Select(n => delivered.GetValueOrDefault(n)).DefaultIfEmpty().Max();
        return Measure(names, delivered, last > 0 ? documents / Stopwatch.GetElapsedTime(started, last).TotalSeconds : 0);
    }

    public async Task<Result> SteadyAsync(string series, double perSecond, TimeSpan duration, ConcurrentDictionary<string, long> delivered, TimeSpan deadline)
    {
        var names = await DropSteadilyAsync(series, (int)Math.Round(perSecond * duration.TotalSeconds), perSecond);
        await WaitAsync(names, delivered, deadline);
        return Measure(names, delivered, 0);
    }

    /// <summary>
    /// Runs a long stream with a fixed number of documents in flight (the next is dropped when one is delivered, so no
    /// backlog builds up and the run goes as fast as the pipeline does) and samples the server's memory (same process)
    /// after every <paramref name="sampleEvery"/> documents, reporting each sample at once.
    /// </summary>
    public async Task<MemoryRun> MemoryAsync(string series, int documents, int inFlight, int sampleEvery, ConcurrentDictionary<string, long> delivered, Action<MemorySample> report)
    {
        var samples = new List<MemorySample>();
        int completed = 0, lost = 0;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(1, documents), new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (i, ct) =>
        {
            var name = $"{series}-{i:D7}";
            try
            {
                await DropAsync(name, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // A storage stall (Azurite starved on a loaded machine) costs this document, not the whole run.
                Console.WriteLine($"drop of {name} failed ({e.GetType().Name}); counted as lost");
                _dropped.TryRemove(name, out _);
                Interlocked.Increment(ref lost);
                Interlocked.Increment(ref completed);
                return;
            }

            var waited = Stopwatch.StartNew();
            while (!delivered.TryRemove(name, out _))
            {
                if (waited.Elapsed > TimeSpan.FromMinutes(5))
                {
                    Interlocked.Increment(ref lost);
                    break;
                }

                await Task.Delay(20, ct);
            }

            // The bench keeps nothing per document either: what grows is the server's.
            _dropped.TryRemove(name, out _);
            var done = Interlocked.Increment(ref completed);
            if (done % sampleEvery == 0)
            {
                lock (samples)
                {
                    GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    using var self = Process.GetCurrentProcess();
                    var sample = new MemorySample(done, GC.GetTotalMemory(forceFullCollection: true), self.WorkingSet64, Stopwatch.GetElapsedTime(started), done / Stopwatch.GetElapsedTime(started).TotalSeconds);
                    samples.Add(sample);
                    report(sample);
                }
            }
        });

        return new MemoryRun(samples, completed - lost, lost);
    }

    public sealed record MemorySample(int Documents, long ManagedBytes, long WorkingSetBytes, TimeSpan Elapsed, double DocumentsPerSecond);

    public sealed record MemoryRun(List<MemorySample> Samples, int Delivered, int Lost);

    private async Task<List<string>> DropSteadilyAsync(string series, int count, double perSecond)
    {
        var names = Enumerable.Range(1, count).Select(i => $"{series}-{i:D6}").ToList();
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var started = Stopwatch.GetTimestamp();
        var drops = new List<Task>();
        for (var i = 0; i < names.Count; i++)
        {
            var due = interval * i - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due);
            }

            drops.Add(DropAsync(names[i], CancellationToken.None));
        }

        await Task.WhenAll(drops);
        return names;
    }

    private async Task DropAsync(string name, CancellationToken cancellationToken)
    {
        var turn = (int)(Interlocked.Increment(ref _next) % dossiers.Count);
        var bytes = Encoding.UTF8.GetBytes(_templates[turn].Replace("MOL-CN-118", name.ToUpperInvariant(), StringComparison.Ordinal));
        _dropped[name] = Stopwatch.GetTimestamp();
        await inbox.GetBlobClient($"{dossiers[turn]}/{name}.xml").UploadAsync(new BinaryData(bytes), overwrite: true, cancellationToken);
    }

    private static async Task WaitAsync(List<string> names, ConcurrentDictionary<string, long> delivered, TimeSpan deadline)
    {
        var watch = Stopwatch.StartNew();
        while (names.Any(n => !delivered.ContainsKey(n)) && watch.Elapsed < deadline)
        {
            await Task.Delay(50);
        }
    }

    private Result Measure(List<string> names, ConcurrentDictionary<string, long> delivered, double perSecond)
    {
        var latencies = names
            .Where(delivered.ContainsKey)
            .Select(n => Stopwatch.GetElapsedTime(_dropped[n], delivered[n]).TotalMilliseconds)
            .Order()
            .ToList();
        return new Result(names.Count, latencies.Count, perSecond, latencies);
    }

    public sealed record Result(int Dropped, int Delivered, double DocumentsPerSecond, List<double> Latencies)
    {
        public double Percentile(double p) =>
            Latencies.Count == 0 ? double.NaN : Latencies[Math.Clamp((int)Math.Ceiling(p * Latencies.Count) - 1, 0, Latencies.Count - 1)];
    }
}
