using Koppel.Core.Ports;
using Koppel.Core.Security;

namespace Koppel.Core.Payments;

/// <summary>Read side of payments for the API: a dossier's payments, or one document's, a page at a time.</summary>
public sealed class PaymentQueries(IPaymentStore store)
{
    public Task<Page<PaymentRecord>> ListAsync(string dossierId, string? documentId, PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        return store.ListPaymentsPageAsync(dossierId, documentId, page, cancellationToken);
    }
}
