using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;

namespace Koppel.Core.Payments;

/// <summary>
/// Starts following a sales invoice (or sales credit note) when it arrives: the facts the matching needs are kept beside
/// it, so neither a poll nor a bank statement has to read the invoice again.
/// </summary>
public sealed class InvoiceTracker(IPaymentStore store, TimeProvider clock)
{
    public static bool Follows(DocumentRecord document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Kind == DocumentKind.SalesInvoice
            && document.Format is DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote
            && document.PayableAmount is not null;
    }

    /// <summary>Tracks the document (once; a second call returns the stored row). Null for a document that is not followed.</summary>
    public async Task<TrackedInvoice?> TrackAsync(DocumentRecord document, string? paymentReference, IReadOnlyList<string> billingReferences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!Follows(document))
        {
            return null;
        }

        var creditNote = document.Format == DocumentFormat.UblCreditNote;
        var amount = Math.Abs(document.PayableAmount!.Value);
        return await store.AddInvoiceIfAbsentAsync(
            new TrackedInvoice
            {
                DossierId = document.DossierId,
                DocumentId = document.Id,
                Number = document.Number?.Trim(),
                IssueDate = document.IssueDate,
                Currency = document.Currency ?? "EUR",
                Amount = amount,
                StructuredReference = StructuredCommunication.Digits(paymentReference),
                IsCreditNote = creditNote,
                CreditedInvoiceNumbers = creditNote ? billingReferences : [],

                // An invoice of nothing to pay is settled from the start.
                Status = amount == 0 && !creditNote ? InvoicePaymentStatus.Paid : InvoicePaymentStatus.Open,
                Closed = amount == 0 && !creditNote,
                UpdatedAt = clock.GetUtcNow(),
            },
            cancellationToken);
    }
}
