using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Page = Koppel.Core.Ports.Page<Koppel.Core.Ports.QuarantinedFile>;

namespace Koppel.Azure.Blobs;

/// <summary>
/// Refused files at <c>{dossier or _unknown}/{utc timestamp}-{file name}</c>, each with its reason twice: short in the
/// blob's metadata (visible in any storage browser) and complete in a sibling <c>.reason.json</c> blob.
/// </summary>
public sealed class BlobQuarantine : IQuarantine
{
    internal const string ReasonSuffix = ".reason.json";
    private const string UnknownDossier = "_unknown";
    /// <summary>Percent-encoding can grow a character to 9 bytes and all metadata must fit in 8 KiB.</summary>
    private const int MaxMetadataMessageLength = 256;

    /// <summary>Blob names end at 1024 characters; the folder and timestamp need some of them.</summary>
    private const int MaxFileNameLength = 200;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly BlobContainerClient _container;
    private readonly TimeProvider _clock;
    private readonly CreateOnce _ensureContainer;

    public BlobQuarantine(BlobContainerClient container, TimeProvider clock)
    {
        _container = container;
        _clock = clock;
        _ensureContainer = new CreateOnce(ct => _container.CreateIfNotExistsAsync(cancellationToken: ct));
    }

    public async Task<QuarantinedFile> PutAsync(Stream content, QuarantineReason reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(reason);
        await _ensureContainer.EnsureAsync(cancellationToken);

        var at = reason.At == default ? _clock.GetUtcNow() : reason.At;
        var path = $"{FolderForRefusedFile(reason.DossierId)}/{at.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture)}-{SafeFileName(reason.OriginalPath)}";

        // If-None-Match: * so that two refusals of equally named files in the same tick fail loudly instead of one
        // overwriting the other; the file is then still in the inbox and is picked up again.
        await _container.GetBlobClient(path).UploadAsync(
            content,
            new BlobUploadOptions
            {
                Metadata = Metadata(reason),
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                TransferOptions = StreamingTransfer.Options,
            },
            cancellationToken);

        var stored = reason with { At = at };
        await _container.GetBlobClient(path + ReasonSuffix).UploadAsync(
            BinaryData.FromObjectAsJson(stored, Json),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);

        return new QuarantinedFile(path, stored);
    }

    public async IAsyncEnumerable<QuarantinedFile> ListAsync(string? dossierId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _ensureContainer.EnsureAsync(cancellationToken);
        var prefix = dossierId is null ? null : DossierFolder(dossierId) + "/";
        await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            if (!blob.Name.EndsWith(ReasonSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            var download = await _container.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken);
            var reason = download.Value.Content.ToObjectFromJson<QuarantineReason>(Json)
                ?? throw new InvalidDataException($"Quarantine reason '{blob.Name}' is empty.");
            yield return new QuarantinedFile(blob.Name[..^ReasonSuffix.Length], reason);
        }
    }

    /// <summary>
    /// Each refused file is two blobs (the file and its reason), so a page of blobs holds about half as many files. The
    /// page is filled from consecutive blob pages, each asking for as many blobs as files are still missing (never more,
    /// so a page never holds more than asked), and the token is the blob listing's own marker after the last one read.
    /// </summary>
    public async Task<Page> ListPageAsync(string? dossierId, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(page.Size);
        await _ensureContainer.EnsureAsync(cancellationToken);
        var prefix = dossierId is null ? null : DossierFolder(dossierId) + "/";
        var files = new List<QuarantinedFile>();
        var token = page.ContinuationToken;
        do
        {
            var wanted = Math.Min(page.Size - files.Count, 5000);
            var names = new List<string>();
            try
            {
                await foreach (var slice in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).AsPages(token, wanted))
                {
                    names.AddRange(slice.Values.Select(b => b.Name).Where(n => n.EndsWith(ReasonSuffix, StringComparison.Ordinal)));
                    token = slice.ContinuationToken;
                    break;
                }
            }
            catch (RequestFailedException e) when (token is not null && e.Status == 400)
            {
                throw new InvalidContinuationTokenException("The continuation token does not point into the quarantine.", e);
            }

            foreach (var name in names)
            {
                files.Add(await ReadReasonAsync(name, cancellationToken));
            }
        }
        while (files.Count < page.Size && !string.IsNullOrEmpty(token));

        return new Page(files, string.IsNullOrEmpty(token) ? null : token);
    }

    private async Task<QuarantinedFile> ReadReasonAsync(string reasonBlob, CancellationToken cancellationToken)
    {
        var download = await _container.GetBlobClient(reasonBlob).DownloadContentAsync(cancellationToken);
        var reason = download.Value.Content.ToObjectFromJson<QuarantineReason>(Json)
            ?? throw new InvalidDataException($"Quarantine reason '{reasonBlob}' is empty.");
        return new QuarantinedFile(reasonBlob[..^ReasonSuffix.Length], reason);
    }

    public async Task<QuarantinedFile?> GetAsync(string path, CancellationToken cancellationToken)
    {
        BlobPathRules.EnsurePath(path, nameof(path));
        try
        {
            var download = await _container.GetBlobClient(path + ReasonSuffix).DownloadContentAsync(cancellationToken);
            var reason = download.Value.Content.ToObjectFromJson<QuarantineReason>(Json);
            return reason is null ? null : new QuarantinedFile(path, reason);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        BlobPathRules.EnsurePath(path, nameof(path));
        return await _container.GetBlobClient(path).OpenReadAsync(cancellationToken: cancellationToken);
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        BlobPathRules.EnsurePath(path, nameof(path));

        // The file before its reason: a crash in between leaves a reason without a file, never a file without a reason.
        await _container.GetBlobClient(path).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        await _container.GetBlobClient(path + ReasonSuffix).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The quarantine is the last resort and must never refuse a file: a dossier id that is no safe folder name
    /// (it may be exactly why the file was refused) puts the file under the unknown folder; the reason keeps the id.
    /// </summary>
    private static string FolderForRefusedFile(string? dossierId)
    {
        try
        {
            return DossierFolder(dossierId);
        }
        catch (ArgumentException)
        {
            return UnknownDossier;
        }
    }

    private static string DossierFolder(string? dossierId)
    {
        if (string.IsNullOrWhiteSpace(dossierId))
        {
            return UnknownDossier;
        }

        BlobPathRules.EnsureSegment(dossierId, nameof(dossierId));
        return dossierId;
    }

    /// <summary>The last segment of the original path, with characters that would break a blob path replaced.</summary>
    private static string SafeFileName(string originalPath)
    {
        var name = originalPath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        var safe = new string(name.Select(c => char.IsControl(c) ? '_' : c).ToArray()).Replace("..", "_", StringComparison.Ordinal);
        if (safe.Length > MaxFileNameLength)
        {
            safe = safe[^MaxFileNameLength..]; // the end keeps the extension, which tells an operator most
        }

        return safe.Length == 0 ? "file" : safe;
    }

    /// <summary>Metadata values travel as HTTP headers, so they must be ASCII: the message is percent-encoded.</summary>
    private static Dictionary<string, string> Metadata(QuarantineReason reason)
    {
        var message = reason.Message.Length > MaxMetadataMessageLength ? reason.Message[..MaxMetadataMessageLength] : reason.Message;
        return new Dictionary<string, string>
        {
            ["reasoncode"] = Uri.EscapeDataString(reason.Code),
            ["reasonmessage"] = Uri.EscapeDataString(message),
        };
    }
}
