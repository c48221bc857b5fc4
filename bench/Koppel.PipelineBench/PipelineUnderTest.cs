using System.Collections.Concurrent;
using System.Diagnostics;
using Koppel.Azure;
using Koppel.Core.Dossiers;
using Koppel.Core.Security;
using Koppel.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.PipelineBench;

/// <summary>
/// The self-hosted server on a fresh set of containers, tables and queues, with its dossiers each connected to a local
/// folder. Files appearing there are timestamped as they are renamed into place.
/// </summary>
public sealed class PipelineUnderTest : IAsyncDisposable
{
    /// <summary>The first dossier: the one the sample invoices belong to.</summary>
    public const string DossierId = "0403170701";

    private readonly WebApplication _app;
    private readonly FileSystemWatcher _watcher;
    private readonly DirectoryInfo _work;

    private PipelineUnderTest(WebApplication app, FileSystemWatcher watcher, DirectoryInfo work, string inboxContainer)
    {
        _app = app;
        _watcher = watcher;
        _work = work;
        InboxContainer = inboxContainer;
    }

    public string InboxContainer { get; }

    /// <summary>File name stem → <see cref="Stopwatch.GetTimestamp"/> when it arrived in the outbox.</summary>
    public ConcurrentDictionary<string, long> Delivered { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="dossiers"/> enterprise numbers, the sample's own first: a platform serves many dossiers, and each
    /// keeps its rows in its own table partitions (Azurite scans a whole partition on every read; one ever-growing
    /// dossier would measure that, not Koppel).
    /// </summary>
    public static IReadOnlyList<string> DossierIds(int dossiers) =>
        Enumerable.Range(0, Math.Max(1, dossiers)).Select(i =>
        {
            var body = 4031707L + i;
            return $"{body:D8}{97 - body % 97:D2}";
        }).ToList();

    public static async Task<PipelineUnderTest> StartAsync(string storage, string inboxStorage, StorageCallCounter counter, IReadOnlyList<string> dossierIds)
    {
        ArgumentNullException.ThrowIfNull(dossierIds);
        var prefix = "b" + Guid.NewGuid().ToString("N")[..10];
        counter.Prefix = prefix;
        var work = Directory.CreateTempSubdirectory("koppel-bench-");
        var outbox = Directory.CreateDirectory(Path.Combine(work.FullName, "outbox"));

        var app = KoppelServer.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Koppel:Azure:StorageConnectionString"] = storage,
                ["Koppel:Azure:NamePrefix"] = prefix,
                ["Koppel:Azure:KeyRingDirectory"] = Path.Combine(work.FullName, "keys"),
                ["Koppel:Connectors:LocalFolder:AllowedRoots:0"] = work.FullName,
                ["Koppel:Azure:AllowUnprotectedKeyRing"] = "true", // a throw-away bench store that holds no credentials
                ["Koppel:Server:InboxPollInterval"] = "00:00:00.200",
                ["Koppel:Server:QueuePollInterval"] = "00:00:00.050",
                ["Koppel:Server:IngestConcurrency"] = "8",
                ["Koppel:Server:DeliveryConcurrency"] = "16",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Services.AddSingleton(KoppelStorageClients.FromConnectionString(storage, prefix, counter, inboxStorage));
        });
        await app.StartAsync();
        foreach (var dossierId in dossierIds)
        {
            Directory.CreateDirectory(Path.Combine(outbox.FullName, dossierId));
            await app.Services.GetRequiredService<DossierService>().CreateAsync(new DossierInput($"Bench {dossierId}", dossierId, null, null, null), Caller.System, default);
            await app.Services.GetRequiredService<ConnectionService>().CreateAsync(
                dossierId,
                new ConnectionInput("local-folder", "Bench outbox", ["PurchaseInvoice"], new Dictionary<string, string> { ["path"] = outbox.FullName, ["layout"] = "" }, null, true),
                Caller.System,
                default);
        }

        var watcher = new FileSystemWatcher(outbox.FullName) { IncludeSubdirectories = true, InternalBufferSize = 64 * 1024 };
        var pipeline = new PipelineUnderTest(app, watcher, work, prefix + "inbox");
        watcher.Renamed += (_, e) => pipeline.Arrived(e.Name);
        watcher.Created += (_, e) => pipeline.Arrived(e.Name);
        watcher.EnableRaisingEvents = true;
        return pipeline;
    }

    public async ValueTask DisposeAsync()
    {
        _watcher.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _work.Delete(recursive: true);
    }

    private void Arrived(string? path)
    {
        var name = Path.GetFileName(path);
        // Delivered as "{stem}_{id}.xml" after a hidden ".part" file; the stem is what the dropper named it.
        if (name is null || name.StartsWith('.') || name.EndsWith(".part", StringComparison.Ordinal))
        {
            return;
        }

        var underscore = name.IndexOf('_', StringComparison.Ordinal);
        Delivered.TryAdd(underscore > 0 ? name[..underscore] : Path.GetFileNameWithoutExtension(name), Stopwatch.GetTimestamp());
    }
}
