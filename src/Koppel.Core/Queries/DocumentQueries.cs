using Koppel.Core.Domain;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Security;

namespace Koppel.Core.Queries;

/// <summary>A document with where it went: what the API shows for "what happened to this invoice?".</summary>
public sealed record DocumentStatus(DocumentRecord Document, IReadOnlyList<DeliveryEntry> Deliveries);

/// <summary>Read side of the API: documents, their history and deliveries, the run log, the quarantine.</summary>
public sealed class DocumentQueries(
    IDocumentRepository documents,
    IDeliveryLedger ledger,
    IDocumentHistory history,
    IRunLog runLog,
    IQuarantine quarantine)
{
    public Task<Page<DocumentRecord>> ListDocumentsAsync(string dossierId, DateTimeOffset? from, DateTimeOffset? to, PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        return documents.ListPageAsync(dossierId, from, to, page, cancellationToken);
    }

    public async Task<DocumentStatus> GetDocumentAsync(string dossierId, string documentId, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        var document = await documents.GetAsync(dossierId, documentId, cancellationToken)
            ?? throw new ResourceNotFoundException($"Document {documentId} does not exist in dossier {dossierId}.");
        var deliveries = new List<DeliveryEntry>();
        await foreach (var entry in ledger.ListForDocumentAsync(dossierId, documentId, cancellationToken))
        {
            deliveries.Add(entry);
        }

        return new DocumentStatus(document, deliveries);
    }

    /// <summary>One page of a document's history; a document without any history (unknown) is a 404.</summary>
    public async Task<Page<HistoryEntry>> GetHistoryAsync(string dossierId, string documentId, PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(page);
        caller.EnsureCanAccess(dossierId);
        var result = await history.ListPageAsync(dossierId, documentId, page, cancellationToken);
        return result.Items.Count > 0 || page.ContinuationToken is not null
            ? result
            : throw new ResourceNotFoundException($"Document {documentId} has no history in dossier {dossierId}.");
    }

    public Task<Page<DeliveryEntry>> ListDeliveriesAsync(string dossierId, DeliveryStatus? status, PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        return ledger.ListPageAsync(dossierId, status, page, cancellationToken);
    }

    /// <summary>One page of the run log, newest first.</summary>
    public Task<Page<RunLogEntry>> ListRunsAsync(string dossierId, PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        return runLog.ListPageAsync(dossierId, page, cancellationToken);
    }

    public Task<Page<QuarantinedFile>> ListQuarantineAsync(string? dossierId, PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (dossierId is null && !caller.AllDossiers)
        {
            throw new AccessDeniedException($"The caller '{caller.Name}' may only list the quarantine of its own dossiers.");
        }

        if (dossierId is not null)
        {
            caller.EnsureCanAccess(dossierId);
        }

        return quarantine.ListPageAsync(dossierId, page, cancellationToken);
    }
}
