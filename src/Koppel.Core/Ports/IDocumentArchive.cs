namespace Koppel.Core.Ports;

/// <summary>What the archive knows of stored content.</summary>
public sealed record ArchivedContent(string ContentId, long Size, bool AlreadyPresent);

/// <summary>
/// Immutable, content-addressed storage of accepted documents: the key is the SHA-256 of the bytes,
/// storing the same bytes twice stores them once, and nothing is ever overwritten.
/// </summary>
public interface IDocumentArchive
{
    /// <summary>Stores spooled content under its content id (one write; an existing copy is kept as it is).</summary>
    Task<ArchivedContent> StoreAsync(SpooledContent content, string contentType, CancellationToken cancellationToken);

    Task<Stream> OpenReadAsync(string contentId, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string contentId, CancellationToken cancellationToken);
}

public static class DocumentArchiveExtensions
{
    /// <summary>Spools a stream (to disk when large) and stores it: for content that was not spooled already.</summary>
    public static async Task<ArchivedContent> StoreAsync(this IDocumentArchive archive, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(archive);
        await using var spooled = await SpooledContent.CaptureAsync(content, long.MaxValue, "content", cancellationToken);
        return await archive.StoreAsync(spooled, contentType, cancellationToken);
    }
}
