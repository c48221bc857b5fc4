namespace Koppel.Core.Ports;

/// <summary>A file waiting at <c>inbox/{dossier}/{name}</c>.</summary>
public sealed record InboxItem(string Path, string DossierSegment, string FileName, long Size, DateTimeOffset? LastModified);

/// <summary>
/// Where producers drop files. A file leaves the inbox only after it was archived or quarantined,
/// so a crash at any point leaves it here to be picked up again.
/// </summary>
public interface IInbox
{
    IAsyncEnumerable<InboxItem> ListAsync(CancellationToken cancellationToken);

    /// <summary>Looks up one file by path (for event-driven pick-up); null when it is gone already.</summary>
    Task<InboxItem?> GetAsync(string path, CancellationToken cancellationToken);

    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Writes a file into the inbox (API uploads go through the inbox too, so every file takes one path).</summary>
    Task<InboxItem> PutAsync(string dossierSegment, string fileName, Stream content, CancellationToken cancellationToken);

    Task DeleteAsync(string path, CancellationToken cancellationToken);
}
