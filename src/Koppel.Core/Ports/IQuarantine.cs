using Koppel.Core.Domain;

namespace Koppel.Core.Ports;

/// <summary>A refused file with the reason it was refused.</summary>
public sealed record QuarantinedFile(string Path, QuarantineReason Reason);

/// <summary>Where refused files go, each with a machine-readable reason. Nothing refused is ever dropped.</summary>
public interface IQuarantine
{
    Task<QuarantinedFile> PutAsync(Stream content, QuarantineReason reason, CancellationToken cancellationToken);

    IAsyncEnumerable<QuarantinedFile> ListAsync(string? dossierId, CancellationToken cancellationToken);

    /// <summary>One page of refused files (of one dossier, or of all when <paramref name="dossierId"/> is null), oldest first per folder.</summary>
    Task<Page<QuarantinedFile>> ListPageAsync(string? dossierId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>The refused file at <paramref name="path"/> with its reason, or null when there is none.</summary>
    Task<QuarantinedFile?> GetAsync(string path, CancellationToken cancellationToken);

    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Removes the file and its reason, once it is back in the inbox.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);
}
