using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Koppel.Core.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Koppel.Azure.Blobs;

/// <summary>
/// The inbox as a blob container: one blob per dropped file at <c>{dossier}/{file}</c>.
/// A producer may drop a new version under the same name while the old one is being ingested. So the inbox
/// remembers which version it handed out for reading, and deleting a path removes that version only: a newer
/// one stays, to be picked up in its turn.
/// </summary>
public sealed class BlobInbox : IInbox
{
    private readonly BlobContainerClient _container;
    private readonly CreateOnce _ensureContainer;
    private readonly ConcurrentDictionary<string, ETag> _versionsRead = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    public BlobInbox(BlobContainerClient container, ILogger<BlobInbox>? logger = null)
    {
        _container = container;
        _logger = logger ?? NullLogger<BlobInbox>.Instance;
        _ensureContainer = new CreateOnce(ct => _container.CreateIfNotExistsAsync(cancellationToken: ct));
    }

    public async IAsyncEnumerable<InboxItem> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _ensureContainer.EnsureAsync(cancellationToken);
        await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken))
        {
            if (!BlobPathRules.IsSafePath(blob.Name))
            {
                // A name with '..' or empty segments (written to storage directly, not through Koppel) cannot be
                // addressed safely: HTTP clients resolve dot segments and would read another blob. It stays where
                // it is for an operator to rename; listing it would only make every pick-up fail on it.
                _logger.LogWarning("Inbox blob {Path} has an unsafe name and is skipped; rename it to pick it up.", blob.Name);
                continue;
            }

            yield return ToItem(blob.Name, blob.Properties.ContentLength ?? 0, blob.Properties.LastModified);
        }
    }

    public async Task<InboxItem?> GetAsync(string path, CancellationToken cancellationToken)
    {
        BlobPathRules.EnsurePath(path, nameof(path));
        try
        {
            var properties = await _container.GetBlobClient(path).GetPropertiesAsync(cancellationToken: cancellationToken);
            return ToItem(path, properties.Value.ContentLength, properties.Value.LastModified);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        BlobPathRules.EnsurePath(path, nameof(path));
        try
        {
            // One request: the download answers with the version it reads, which is the version DeleteAsync removes.
            var download = await _container.GetBlobClient(path).DownloadStreamingAsync(cancellationToken: cancellationToken);
            _versionsRead[path] = download.Value.Details.ETag;
            return download.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"The inbox has no file '{path}'.", path, e);
        }
    }

    public async Task<InboxItem> PutAsync(string dossierSegment, string fileName, Stream content, CancellationToken cancellationToken)
    {
        BlobPathRules.EnsureSegment(dossierSegment, nameof(dossierSegment));
        BlobPathRules.EnsureSegment(fileName, nameof(fileName));
        ArgumentNullException.ThrowIfNull(content);
        await _ensureContainer.EnsureAsync(cancellationToken);

        var path = $"{dossierSegment}/{fileName}";
        var blob = _container.GetBlobClient(path);
        await blob.UploadAsync(content, new BlobUploadOptions { TransferOptions = StreamingTransfer.Options }, cancellationToken);
        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        return ToItem(path, properties.Value.ContentLength, properties.Value.LastModified);
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        BlobPathRules.EnsurePath(path, nameof(path));
        var conditions = _versionsRead.TryRemove(path, out var version) ? new BlobRequestConditions { IfMatch = version } : null;
        try
        {
            await _container.GetBlobClient(path).DeleteIfExistsAsync(conditions: conditions, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Replaced by a newer version since it was read; that version has not been ingested yet, so it stays.
        }
    }

    private static InboxItem ToItem(string path, long size, DateTimeOffset? lastModified)
    {
        // A file dropped at the container root has no dossier; ingest quarantines it as a bad path.
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? new InboxItem(path, "", path, size, lastModified)
            : new InboxItem(path, path[..slash], path[(slash + 1)..], size, lastModified);
    }
}
