using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Koppel.Core.Ports;

namespace Koppel.Azure.Blobs;

/// <summary>
/// The archive as a blob container keyed by content: <c>sha256/{hex}</c>. The hash is only known after the
/// last byte, so content is first streamed into <c>tmp/{guid}</c> while hashing, then copied server-side to its
/// final name with If-None-Match: * (an existing blob is never overwritten), and the temporary blob is deleted.
/// A crash in between leaves only a <c>tmp/</c> blob, which a lifecycle rule can expire.
/// </summary>
public sealed partial class BlobDocumentArchive : IDocumentArchive
{
    private const string ContentPrefix = "sha256/";
    private const string TemporaryPrefix = "tmp/";

    private readonly BlobContainerClient _container;
    private readonly CreateOnce _ensureContainer;

    public BlobDocumentArchive(BlobContainerClient container)
    {
        _container = container;
        _ensureContainer = new CreateOnce(ct => _container.CreateIfNotExistsAsync(cancellationToken: ct));
    }

    public async Task<ArchivedContent> StoreAsync(Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        await _ensureContainer.EnsureAsync(cancellationToken);

        var temporary = _container.GetBlobClient(TemporaryPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            string contentId;
            long size;
            using (var hashing = new HashingReadStream(content))
            {
                await temporary.UploadAsync(
                    hashing,
                    new BlobUploadOptions
                    {
                        HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                        TransferOptions = StreamingTransfer.Options,
                    },
                    cancellationToken);
                contentId = hashing.FinishHex();
                size = hashing.BytesRead;
            }

            var alreadyPresent = !await TryCopyToFinalNameAsync(temporary, contentId, cancellationToken);
            return new ArchivedContent(contentId, size, alreadyPresent);
        }
        finally
        {
            await DeleteTemporaryAsync(temporary);
        }
    }

    public async Task<Stream> OpenReadAsync(string contentId, CancellationToken cancellationToken)
    {
        try
        {
            return await ContentBlob(contentId).OpenReadAsync(cancellationToken: cancellationToken);
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

    /// <summary>
    /// Not cancellable, so a cancelled store leaves nothing behind; and never throwing, so a failed clean-up does
    /// not hide why the store failed. What cannot be deleted now is left to the <c>tmp/</c> lifecycle rule.
    /// </summary>
    private static async Task DeleteTemporaryAsync(BlobClient temporary)
    {
        try
        {
            await temporary.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or HttpRequestException)
        {
            // see summary
        }
    }

    /// <returns>false when content with this hash was archived before.</returns>
    private async Task<bool> TryCopyToFinalNameAsync(BlobClient temporary, string contentId, CancellationToken cancellationToken)
    {
        var final = ContentBlob(contentId);
        try
        {
            var copy = await final.StartCopyFromUriAsync(
                temporary.Uri,
                new BlobCopyFromUriOptions { DestinationConditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken);
            await copy.WaitForCompletionAsync(cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
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
