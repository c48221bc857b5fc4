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
    public async Task<IReadOnlyList<DocumentRecord>> ListDocumentsAsync(string dossierId, DateTimeOffset? from, DateTimeOffset? to, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        var result = new List<DocumentRecord>();
        await foreach (var document in documents.ListAsync(dossierId, from, to, cancellationToken))
        {
            result.Add(document);
        }

        return result;
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

    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string dossierId, string documentId, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        var result = new List<HistoryEntry>();
        await foreach (var entry in history.ListAsync(dossierId, documentId, cancellationToken))
        {
            result.Add(entry);
        }

        return result.Count > 0 ? result : throw new ResourceNotFoundException($"Document {documentId} has no history in dossier {dossierId}.");
    }

    public async Task<IReadOnlyList<DeliveryEntry>> ListDeliveriesAsync(string dossierId, DeliveryStatus? status, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        var result = new List<DeliveryEntry>();
        await foreach (var entry in ledger.ListAsync(dossierId, status, cancellationToken))
        {
            result.Add(entry);
        }

        return result;
    }

    public async Task<IReadOnlyList<RunLogEntry>> ListRunsAsync(string dossierId, int max, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        var result = new List<RunLogEntry>();
        await foreach (var entry in runLog.ListAsync(dossierId, Math.Clamp(max, 1, 1000), cancellationToken))
        {
            result.Add(entry);
        }

        return result;
    }

    public async Task<IReadOnlyList<QuarantinedFile>> ListQuarantineAsync(string? dossierId, Caller caller, CancellationToken cancellationToken)
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

        var result = new List<QuarantinedFile>();
        await foreach (var file in quarantine.ListAsync(dossierId, cancellationToken))
        {
            result.Add(file);
        }

        return result;
    }
}
