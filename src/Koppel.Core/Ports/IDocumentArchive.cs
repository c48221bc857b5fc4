namespace Koppel.Core.Ports;

/// <summary>What the archive knows of stored content.</summary>
public sealed record ArchivedContent(string ContentId, long Size, bool AlreadyPresent);

/// <summary>
/// Immutable, content-addressed storage of accepted documents: the key is the SHA-256 of the bytes,
/// storing the same bytes twice stores them once, and nothing is ever overwritten.
/// </summary>
public interface IDocumentArchive
{
    /// <summary>Streams the content into the archive, hashing on the way, and returns its content id.</summary>
    Task<ArchivedContent> StoreAsync(Stream content, string contentType, CancellationToken cancellationToken);

    Task<Stream> OpenReadAsync(string contentId, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string contentId, CancellationToken cancellationToken);
}
