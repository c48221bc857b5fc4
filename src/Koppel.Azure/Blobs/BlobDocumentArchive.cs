using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Koppel.Core.Ports;

namespace Koppel.Azure.Blobs;

/// <summary>
/// The archive as a blob container keyed by content: <c>sha256/{hex}</c>. Content arrives spooled, its hash already
/// known, so it is written once, straight to its final name with If-None-Match: * (an existing blob is never
/// overwritten; a block upload commits atomically, so a half-written blob is never visible under that name).
/// </summary>
public sealed partial class BlobDocumentArchive : IDocumentArchive
{
    private const string ContentPrefix = "sha256/";

    private readonly BlobContainerClient _container;
    private readonly CreateOnce _ensureContainer;

    public BlobDocumentArchive(BlobContainerClient container)
    {
        _container = container;
        _ensureContainer = new CreateOnce(ct => _container.CreateIfNotExistsAsync(cancellationToken: ct));
    }

    public async Task<ArchivedContent> StoreAsync(SpooledContent content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        await _ensureContainer.EnsureAsync(cancellationToken);

        try
        {
            await using var bytes = content.OpenRead();
            await ContentBlob(content.ContentId).UploadAsync(
                bytes,
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    TransferOptions = StreamingTransfer.Options,
                },
                cancellationToken);
            return new ArchivedContent(content.ContentId, content.Size, AlreadyPresent: false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return new ArchivedContent(content.ContentId, content.Size, AlreadyPresent: true);
        }
    }

    public async Task<Stream> OpenReadAsync(string contentId, CancellationToken cancellationToken)
    {
        try
        {
            // One request, streamed: archived content never changes, so there is no version to pin first.
            return (await ContentBlob(contentId).DownloadStreamingAsync(cancellationToken: cancellationToken)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"The archive holds no content '{contentId}'.", contentId, e);
        }
    }

    public async Task<bool> ExistsAsync(string contentId, CancellationToken cancellationToken)
    {
        try
        {
            return await ContentBlob(contentId).ExistsAsync(cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false; // the container itself does not exist yet
        }
    }

    private BlobClient ContentBlob(string contentId)
    {
        if (!ContentIdPattern().IsMatch(contentId ?? ""))
        {
            throw new ArgumentException("A content id is the lower-case hex SHA-256 of the content (64 characters).", nameof(contentId));
        }

        return _container.GetBlobClient(ContentPrefix + contentId);
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex ContentIdPattern();
}
