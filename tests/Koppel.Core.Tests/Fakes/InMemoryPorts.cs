using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Koppel.Core.Domain;
using Koppel.Core.Export;
using Koppel.Core.Ports;

namespace Koppel.Core.Tests.Fakes;

// In-memory versions of the ports, for testing handler logic in isolation.
// The real adapters are tested against Azurite in Koppel.Azure.Tests and end to end in Koppel.Server.Tests.
public sealed class InMemoryPorts : IInbox, IDocumentArchive, IQuarantine, IDossierRepository, IConnectionRepository,
    IDocumentRepository, IDeliveryLedger, IRunLog, IDocumentHistory, IWorkQueue, ISecretStore, IExportJobQueue
{
    private readonly ConcurrentDictionary<string, byte[]> _inbox = new();
    private readonly ConcurrentDictionary<string, byte[]> _archive = new();
    private readonly ConcurrentDictionary<string, Dossier> _dossiers = new();
    private readonly ConcurrentDictionary<(string, string), Connection> _connections = new();
    private readonly ConcurrentDictionary<(string, string), DocumentRecord> _documents = new();
    private readonly ConcurrentDictionary<(string, string), DeliveryEntry> _ledger = new();
    private readonly ConcurrentDictionary<(string, string), RunLogEntry> _runs = new();
    private readonly ConcurrentDictionary<string, string> _secrets = new();
    private readonly object _lock = new();
    private int _etag;

    public List<(QuarantineReason Reason, byte[] Content)> Quarantined { get; } = [];

    public List<HistoryEntry> History { get; } = [];

    public List<(DeliveryRequest Request, TimeSpan? Delay)> Queued { get; } = [];

    /// <summary>Export jobs queued, as a broker would hold them.</summary>
    public List<ExportJob> ExportJobs { get; } = [];

    /// <summary>Export jobs queued to be seen only later (the watchdogs), with their delay.</summary>
    public List<(ExportJob Job, TimeSpan Delay)> DelayedExportJobs { get; } = [];

    /// <summary>Throws instead of queuing the next export job handed over without delay (a crash right before it).</summary>
    public Exception? FailNextExportJob { get; set; }

    /// <summary>Called after each delivery message is queued (a test can stop a job there).</summary>
    public Action<DeliveryRequest>? AfterEnqueue { get; set; }

    public IReadOnlyDictionary<string, byte[]> InboxFiles => _inbox;

    public IReadOnlyDictionary<string, byte[]> ArchiveFiles => _archive;

    public IReadOnlyDictionary<string, string> Secrets => _secrets;

    public IEnumerable<DeliveryEntry> Ledger => _ledger.Values;

    public IEnumerable<RunLogEntry> Runs => _runs.Values;

    public IEnumerable<Connection> Connections => _connections.Values;

    public InboxItem Drop(string dossierSegment, string fileName, byte[] content)
    {
        var path = $"{dossierSegment}/{fileName}";
        _inbox[path] = content;
        return new InboxItem(path, dossierSegment, fileName, content.Length, DateTimeOffset.UtcNow);
    }

    // Inbox
    public async IAsyncEnumerable<InboxItem> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var (path, content) in _inbox.ToArray())
        {
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            yield return new InboxItem(path, path[..slash], path[(slash + 1)..], content.Length, null);
        }
    }

    Task<InboxItem?> IInbox.GetAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult(_inbox.TryGetValue(path, out var c) ? new InboxItem(path, path.Split('/')[0], path.Split('/')[^1], c.Length, null) : null);

    /// <summary>Runs after each inbox read is opened: a test's producer replacing the file at the worst moment.</summary>
    public Action<string>? AfterInboxOpened { get; set; }

    Task<Stream> IInbox.OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var content = _inbox.TryGetValue(path, out var bytes) ? bytes : throw new FileNotFoundException($"The inbox has no file '{path}'.", path);
        AfterInboxOpened?.Invoke(path);
        return Task.FromResult<Stream>(new MemoryStream(content, writable: false));
    }

    async Task<InboxItem> IInbox.PutAsync(string dossierSegment, string fileName, Stream content, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        return Drop(dossierSegment, fileName, buffer.ToArray());
    }

    Task IInbox.DeleteAsync(string path, CancellationToken cancellationToken)
    {
        _inbox.TryRemove(path, out _);
        return Task.CompletedTask;
    }

    // Archive
    async Task<ArchivedContent> IDocumentArchive.StoreAsync(SpooledContent content, string contentType, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using (var bytes = content.OpenRead())
        {
            await bytes.CopyToAsync(buffer, cancellationToken);
        }

        var existed = !_archive.TryAdd(content.ContentId, buffer.ToArray());
        return new ArchivedContent(content.ContentId, content.Size, existed);
    }

    Task<Stream> IDocumentArchive.OpenReadAsync(string contentId, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new MemoryStream(_archive[contentId], writable: false));

    Task<bool> IDocumentArchive.ExistsAsync(string contentId, CancellationToken cancellationToken) => Task.FromResult(_archive.ContainsKey(contentId));

    // Quarantine
    async Task<QuarantinedFile> IQuarantine.PutAsync(Stream content, QuarantineReason reason, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        lock (_lock)
        {
            Quarantined.Add((reason, buffer.ToArray()));
        }

        return new QuarantinedFile($"q/{reason.OriginalPath}", reason);
    }

    Task<QuarantinedFile?> IQuarantine.GetAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult(Quarantined.Where(q => $"q/{q.Reason.OriginalPath}" == path).Select(q => new QuarantinedFile(path, q.Reason)).FirstOrDefault());

    Task<Stream> IQuarantine.OpenReadAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new MemoryStream(Quarantined.First(q => $"q/{q.Reason.OriginalPath}" == path).Content));

    Task IQuarantine.DeleteAsync(string path, CancellationToken cancellationToken)
    {
        Quarantined.RemoveAll(q => $"q/{q.Reason.OriginalPath}" == path);
        return Task.CompletedTask;
    }

    async IAsyncEnumerable<QuarantinedFile> IQuarantine.ListAsync(string? dossierId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var (reason, _) in Quarantined.Where(q => dossierId is null || q.Reason.DossierId == dossierId))
        {
            yield return new QuarantinedFile($"q/{reason.OriginalPath}", reason);
        }
    }

    // Dossiers
    Task<Dossier?> IDossierRepository.GetAsync(string dossierId, CancellationToken cancellationToken) => Task.FromResult(_dossiers.GetValueOrDefault(dossierId));

    IAsyncEnumerable<Dossier> IDossierRepository.ListAsync(CancellationToken cancellationToken) => _dossiers.Values.ToAsyncEnumerable();

    Task IDossierRepository.UpsertAsync(Dossier dossier, CancellationToken cancellationToken)
    {
        _dossiers[dossier.Id] = dossier;
        return Task.CompletedTask;
    }

    Task<bool> IDossierRepository.DeleteAsync(string dossierId, CancellationToken cancellationToken) => Task.FromResult(_dossiers.TryRemove(dossierId, out _));

    // Connections
    Task<Connection?> IConnectionRepository.GetAsync(string dossierId, string connectionId, CancellationToken cancellationToken) =>
        Task.FromResult(_connections.GetValueOrDefault((dossierId, connectionId)));

    IAsyncEnumerable<Connection> IConnectionRepository.ListAsync(string dossierId, CancellationToken cancellationToken) =>
        _connections.Values.Where(c => c.DossierId == dossierId).ToAsyncEnumerable();

    Task IConnectionRepository.UpsertAsync(Connection connection, CancellationToken cancellationToken)
    {
        _connections[(connection.DossierId, connection.Id)] = connection;
        return Task.CompletedTask;
    }

    Task<bool> IConnectionRepository.DeleteAsync(string dossierId, string connectionId, CancellationToken cancellationToken) =>
        Task.FromResult(_connections.TryRemove((dossierId, connectionId), out _));

    // Documents
    Task<DocumentRecord?> IDocumentRepository.GetAsync(string dossierId, string documentId, CancellationToken cancellationToken) =>
        Task.FromResult(_documents.GetValueOrDefault((dossierId, documentId)));

    Task<bool> IDocumentRepository.TryAddAsync(DocumentRecord document, CancellationToken cancellationToken) =>
        Task.FromResult(_documents.TryAdd((document.DossierId, document.Id), document));

    IAsyncEnumerable<DocumentRecord> IDocumentRepository.ListAsync(string dossierId, DateTimeOffset? receivedFrom, DateTimeOffset? receivedBefore, CancellationToken cancellationToken) =>
        _documents.Values
            .Where(d => d.DossierId == dossierId && (receivedFrom is null || d.ReceivedAt >= receivedFrom) && (receivedBefore is null || d.ReceivedAt < receivedBefore))
            .OrderBy(d => d.ReceivedAt)
            .ToAsyncEnumerable();

    // Ledger
    Task<DeliveryEntry?> IDeliveryLedger.GetAsync(string dossierId, string deliveryId, CancellationToken cancellationToken) =>
        Task.FromResult(_ledger.GetValueOrDefault((dossierId, deliveryId)));

    Task<DeliveryEntry> IDeliveryLedger.AddIfAbsentAsync(DeliveryEntry entry, CancellationToken cancellationToken) =>
        Task.FromResult(_ledger.GetOrAdd((entry.DossierId, entry.DeliveryId), _ => entry with { ETag = NextETag() }));

    Task<DeliveryEntry> IDeliveryLedger.ReplaceAsync(DeliveryEntry entry, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var key = (entry.DossierId, entry.DeliveryId);
            if (!_ledger.TryGetValue(key, out var current) || current.ETag != entry.ETag)
            {
                throw new ConcurrencyConflictException($"Ledger entry {entry.DeliveryId} changed.");
            }

            var stored = entry with { ETag = NextETag() };
            _ledger[key] = stored;
            return Task.FromResult(stored);
        }
    }

    Task<DeliveryEntry> IDeliveryLedger.ReopenAsync(DeliveryEntry entry, CancellationToken cancellationToken) =>
        ((IDeliveryLedger)this).ReplaceAsync(entry, cancellationToken);

    IAsyncEnumerable<DeliveryEntry> IDeliveryLedger.ListForDocumentAsync(string dossierId, string documentId, CancellationToken cancellationToken) =>
        _ledger.Values.Where(e => e.DossierId == dossierId && e.DocumentId == documentId).ToAsyncEnumerable();

    IAsyncEnumerable<DeliveryEntry> IDeliveryLedger.ListForRunAsync(string dossierId, string runId, CancellationToken cancellationToken) =>
        _ledger.Values.Where(e => e.DossierId == dossierId && e.RunId == runId).ToAsyncEnumerable();

    IAsyncEnumerable<DeliveryEntry> IDeliveryLedger.ListAsync(string dossierId, DeliveryStatus? status, CancellationToken cancellationToken) =>
        _ledger.Values.Where(e => e.DossierId == dossierId && (status is null || e.Status == status)).ToAsyncEnumerable();

    IAsyncEnumerable<DeliveryEntry> IDeliveryLedger.ListUnfinishedAsync(CancellationToken cancellationToken) =>
        _ledger.Values.Where(e => !e.IsFinal).ToAsyncEnumerable();

    // Run log
    Task<RunLogEntry?> IRunLog.GetAsync(string dossierId, string runId, CancellationToken cancellationToken) =>
        Task.FromResult(_runs.GetValueOrDefault((dossierId, runId)));

    Task IRunLog.AddAsync(RunLogEntry entry, CancellationToken cancellationToken)
    {
        _runs[(entry.DossierId, entry.RunId)] = entry with { ETag = NextETag() };
        return Task.CompletedTask;
    }

    Task<RunLogEntry> IRunLog.ReplaceAsync(RunLogEntry entry, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var key = (entry.DossierId, entry.RunId);
            if (!_runs.TryGetValue(key, out var current) || current.ETag != entry.ETag)
            {
                throw new ConcurrencyConflictException($"Run {entry.RunId} changed.");
            }

            var stored = entry with { ETag = NextETag() };
            _runs[key] = stored;
            return Task.FromResult(stored);
        }
    }

    // History
    Task IDocumentHistory.AppendAsync(HistoryEntry entry, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            History.Add(entry);
        }

        return Task.CompletedTask;
    }

    IAsyncEnumerable<HistoryEntry> IDocumentHistory.ListAsync(string dossierId, string documentId, CancellationToken cancellationToken) =>
        History.Where(h => h.DossierId == dossierId && h.DocumentId == documentId).ToList().ToAsyncEnumerable();

    // Queue
    Task IWorkQueue.EnqueueAsync(DeliveryRequest request, TimeSpan? delay, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Queued.Add((request, delay));
        }

        AfterEnqueue?.Invoke(request);
        return Task.CompletedTask;
    }

    Task IExportJobQueue.EnqueueAsync(ExportJob job, TimeSpan? delay, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (delay is { } later)
            {
                DelayedExportJobs.Add((job, later));
            }
            else if (FailNextExportJob is { } failure)
            {
                FailNextExportJob = null;
                throw failure;
            }
            else
            {
                ExportJobs.Add(job);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>A page of a sequence in a fixed order; the token is the key of the last item handed out.</summary>
    private static Task<Page<T>> PageOf<T>(IEnumerable<T> items, Func<T, string> key, PageRequest page)
    {
        var ordered = items.OrderBy(key, StringComparer.Ordinal).ToList();
        var rest = page.ContinuationToken is { } after ? ordered.Where(i => string.CompareOrdinal(key(i), after) > 0).ToList() : ordered;
        var slice = rest.Take(page.Size).ToList();
        return Task.FromResult(new Page<T>(slice, rest.Count > page.Size ? key(slice[^1]) : null));
    }

    Task<Page<Dossier>> IDossierRepository.ListPageAsync(PageRequest page, CancellationToken cancellationToken) =>
        PageOf(_dossiers.Values, d => d.Id, page);

    Task<Page<Connection>> IConnectionRepository.ListPageAsync(string dossierId, PageRequest page, CancellationToken cancellationToken) =>
        PageOf(_connections.Values.Where(c => c.DossierId == dossierId), c => c.Id, page);

    Task<Page<Connection>> IConnectionRepository.ListNeedingAttentionPageAsync(IReadOnlyCollection<string>? dossierIds, PageRequest page, CancellationToken cancellationToken) =>
        PageOf(_connections.Values.Where(c => c.Health.NeedsLooking && (dossierIds is null || dossierIds.Contains(c.DossierId))), c => $"{c.DossierId}|{c.Id}", page);

    Task<Page<DocumentRecord>> IDocumentRepository.ListPageAsync(string dossierId, DateTimeOffset? receivedFrom, DateTimeOffset? receivedBefore, PageRequest page, CancellationToken cancellationToken) =>
        PageOf(
            _documents.Values.Where(d => d.DossierId == dossierId && (receivedFrom is null || d.ReceivedAt >= receivedFrom) && (receivedBefore is null || d.ReceivedAt < receivedBefore)),
            d => d.Id,
            page);

    Task<Page<DeliveryEntry>> IDeliveryLedger.ListPageAsync(string dossierId, DeliveryStatus? status, PageRequest page, CancellationToken cancellationToken) =>
        PageOf(_ledger.Values.Where(e => e.DossierId == dossierId && (status is null || e.Status == status)), e => e.DeliveryId, page);

    Task<Page<RunLogEntry>> IRunLog.ListPageAsync(string dossierId, PageRequest page, CancellationToken cancellationToken) =>
        PageOf(_runs.Values.Where(r => r.DossierId == dossierId), r => r.RunId, page);

    Task<Page<HistoryEntry>> IDocumentHistory.ListPageAsync(string dossierId, string documentId, PageRequest page, CancellationToken cancellationToken)
    {
        var entries = History.Where(h => h.DossierId == dossierId && h.DocumentId == documentId).ToList();
        return PageOf(entries.Select((h, i) => (h, i)), p => p.i.ToString("D9", System.Globalization.CultureInfo.InvariantCulture), page)
            .ContinueWith(t => t.Result.Select(p => p.h), TaskScheduler.Default);
    }

    Task<Page<QuarantinedFile>> IQuarantine.ListPageAsync(string? dossierId, PageRequest page, CancellationToken cancellationToken) =>
        PageOf(Quarantined.Where(q => dossierId is null || q.Reason.DossierId == dossierId).Select(q => new QuarantinedFile($"q/{q.Reason.OriginalPath}", q.Reason)), q => q.Path, page);

    // Secrets
    Task ISecretStore.SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        _secrets[name] = value;
        return Task.CompletedTask;
    }

    Task<string?> ISecretStore.GetAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_secrets.GetValueOrDefault(name));

    Task ISecretStore.DeleteAsync(string name, CancellationToken cancellationToken)
    {
        _secrets.TryRemove(name, out _);
        return Task.CompletedTask;
    }

    private string NextETag() => Interlocked.Increment(ref _etag).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
