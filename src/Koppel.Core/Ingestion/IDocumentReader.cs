namespace Koppel.Core.Ingestion;

/// <summary>
/// Reads a file into <see cref="DocumentFacts"/>. Embedded attachments are handed to
/// <paramref name="storeAttachment"/> as streams, so a 20 MB PDF inside an invoice is never held in memory.
/// Throws <see cref="DocumentRejectedException"/> for a file that cannot be accepted.
/// </summary>
public interface IDocumentReader
{
    Task<DocumentFacts> ReadAsync(
        Stream content,
        string fileName,
        Func<string, string, Stream, CancellationToken, Task<Domain.ArchivedAttachment>> storeAttachment,
        CancellationToken cancellationToken);
}
