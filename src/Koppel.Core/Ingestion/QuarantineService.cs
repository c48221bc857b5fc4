using Koppel.Core.Domain;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Security;

namespace Koppel.Core.Ingestion;

/// <summary>
/// The way back out of quarantine: a refused file can be downloaded, and ingested again once its cause is fixed
/// (the dossier now exists, the producer sent a corrected file under the same name, the rules changed). Nothing is
/// lost on the way: the file goes back into the inbox before its quarantine copy is removed.
/// </summary>
public sealed class QuarantineService(IQuarantine quarantine, IInbox inbox, IngestHandler ingest, TimeProvider clock)
{
    public async Task<(QuarantinedFile File, Stream Content)> OpenAsync(string path, Caller caller, CancellationToken cancellationToken)
    {
        var file = await FindAsync(path, caller, cancellationToken);
        return (file, await quarantine.OpenReadAsync(file.Path, cancellationToken));
    }

    /// <summary>
    /// Puts the file back into the inbox of its dossier (or of <paramref name="dossierId"/>, when it was dropped in
    /// the wrong folder) and ingests it at once. The result is what an upload answers: accepted, a duplicate, or
    /// quarantined again with today's reason.
    /// </summary>
    public async Task<IngestResult> ReingestAsync(string path, string? dossierId, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var file = await FindAsync(path, caller, cancellationToken);
        var target = dossierId ?? OwnerOf(file.Reason)
            ?? throw new RequestValidationException("dossierId", $"{file.Path} was not dropped under a dossier's enterprise number; name the dossier it belongs to.");
        if (!EnterpriseNumber.TryParse(target, out var number, out var problem))
        {
            throw new RequestValidationException("dossierId", problem ?? "Not an enterprise number.");
        }

        caller.EnsureCanAccess(number.Value.Value);
        var name = Path.GetFileName(file.Reason.OriginalPath.Replace('\\', '/'));
        InboxItem item;
        await using (var content = await quarantine.OpenReadAsync(file.Path, cancellationToken))
        {
            item = await inbox.PutAsync(number.Value.Value, $"{clock.GetUtcNow():yyyyMMddHHmmssfff}-{name}", content, cancellationToken);
        }

        await quarantine.DeleteAsync(file.Path, cancellationToken);
        return await ingest.HandleAsync(item, cancellationToken);
    }

    private async Task<QuarantinedFile> FindAsync(string path, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new RequestValidationException("path", "Name the quarantined file by its path, as the quarantine list gives it.");
        }

        QuarantinedFile? file;
        try
        {
            file = await quarantine.GetAsync(path, cancellationToken);
        }
        catch (ArgumentException)
        {
            file = null;
        }

        // A file of another dossier answers like a missing one: its existence is not the caller's business.
        var owner = file is null ? null : OwnerOf(file.Reason);
        if (file is null || !(caller.AllDossiers || (owner is not null && caller.CanAccess(owner))))
        {
            throw new ResourceNotFoundException($"No quarantined file '{path}' that this caller may see.");
        }

        return file;
    }

    /// <summary>The dossier a refused file was meant for: the one it was judged for, else the folder it was dropped in.</summary>
    private static string? OwnerOf(QuarantineReason reason)
    {
        if (reason.DossierId is not null)
        {
            return reason.DossierId;
        }

        var segment = reason.OriginalPath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries) is { Length: > 1 } parts ? parts[0] : null;
        return EnterpriseNumber.TryParse(segment, out var number, out _) ? number.Value.Value : null;
    }
}
