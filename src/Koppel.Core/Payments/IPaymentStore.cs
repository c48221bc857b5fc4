using System.Runtime.CompilerServices;
using Koppel.Core.Ports;

namespace Koppel.Core.Payments;

/// <summary>The invoices whose payment Koppel follows and the payments recorded against them, per dossier.</summary>
public interface IPaymentStore
{
    Task<TrackedInvoice?> GetInvoiceAsync(string dossierId, string documentId, CancellationToken cancellationToken);

    /// <summary>Adds the invoice unless it is tracked already; returns the stored one either way.</summary>
    Task<TrackedInvoice> AddInvoiceIfAbsentAsync(TrackedInvoice invoice, CancellationToken cancellationToken);

    /// <summary>Replaces the invoice if its ETag still matches; throws <see cref="ConcurrencyConflictException"/> otherwise.</summary>
    Task<TrackedInvoice> ReplaceInvoiceAsync(TrackedInvoice invoice, CancellationToken cancellationToken);

    /// <summary>The dossier's tracked invoices and credit notes that are not closed.</summary>
    IAsyncEnumerable<TrackedInvoice> ListOpenAsync(string dossierId, CancellationToken cancellationToken);

    /// <summary>Adds the payment unless one with its id exists; false when it was recorded already.</summary>
    Task<bool> TryAddPaymentAsync(PaymentRecord payment, CancellationToken cancellationToken);

    /// <summary>Replaces the payment if its ETag still matches; throws <see cref="ConcurrencyConflictException"/> otherwise.</summary>
    Task<PaymentRecord> ReplacePaymentAsync(PaymentRecord payment, CancellationToken cancellationToken);

    Task<IReadOnlyList<PaymentRecord>> ListPaymentsAsync(string dossierId, string documentId, CancellationToken cancellationToken);

    /// <summary>One page of the dossier's payments (of one document when given), by document then payment id.</summary>
    Task<Page<PaymentRecord>> ListPaymentsPageAsync(string dossierId, string? documentId, PageRequest page, CancellationToken cancellationToken);
}

/// <summary>The store in this process only: for tests, the bench and a single self-hosted instance without storage.</summary>
public sealed class InMemoryPaymentStore : IPaymentStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<(string Dossier, string Document), TrackedInvoice> _invoices = [];
    private readonly SortedDictionary<(string Dossier, string Document, string Payment), PaymentRecord> _payments = [];
    private long _etag;

    public IReadOnlyList<PaymentRecord> AllPayments
    {
        get
        {
            lock (_lock)
            {
                return [.. _payments.Values];
            }
        }
    }

    public Task<TrackedInvoice?> GetInvoiceAsync(string dossierId, string documentId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_invoices.GetValueOrDefault((dossierId, documentId)));
        }
    }

    public Task<TrackedInvoice> AddInvoiceIfAbsentAsync(TrackedInvoice invoice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        lock (_lock)
        {
            var key = (invoice.DossierId, invoice.DocumentId);
            if (!_invoices.TryGetValue(key, out var stored))
            {
                _invoices[key] = stored = invoice with { ETag = NextETag() };
            }

            return Task.FromResult(stored);
        }
    }

    public Task<TrackedInvoice> ReplaceInvoiceAsync(TrackedInvoice invoice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        lock (_lock)
        {
            var key = (invoice.DossierId, invoice.DocumentId);
            if (!_invoices.TryGetValue(key, out var stored) || stored.ETag != invoice.ETag)
            {
                throw new ConcurrencyConflictException($"The tracked invoice {invoice.DocumentId} was changed by someone else.");
            }

            _invoices[key] = stored = invoice with { ETag = NextETag() };
            return Task.FromResult(stored);
        }
    }

    public async IAsyncEnumerable<TrackedInvoice> ListOpenAsync(string dossierId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<TrackedInvoice> open;
        lock (_lock)
        {
            open = [.. _invoices.Where(i => i.Key.Dossier == dossierId && !i.Value.Closed).Select(i => i.Value)];
        }

        foreach (var invoice in open)
        {
            await Task.Yield();
            yield return invoice;
        }
    }

    public Task<bool> TryAddPaymentAsync(PaymentRecord payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        lock (_lock)
        {
            return Task.FromResult(_payments.TryAdd((payment.DossierId, payment.DocumentId, payment.PaymentId), payment with { ETag = NextETag() }));
        }
    }

    public Task<PaymentRecord> ReplacePaymentAsync(PaymentRecord payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        lock (_lock)
        {
            var key = (payment.DossierId, payment.DocumentId, payment.PaymentId);
            if (!_payments.TryGetValue(key, out var stored) || stored.ETag != payment.ETag)
            {
                throw new ConcurrencyConflictException($"The payment {payment.PaymentId} was changed by someone else.");
            }

            _payments[key] = stored = payment with { ETag = NextETag() };
            return Task.FromResult(stored);
        }
    }

    public Task<IReadOnlyList<PaymentRecord>> ListPaymentsAsync(string dossierId, string documentId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<PaymentRecord>>([.. _payments.Where(p => p.Key.Dossier == dossierId && p.Key.Document == documentId).Select(p => p.Value)]);
        }
    }

    public Task<Page<PaymentRecord>> ListPaymentsPageAsync(string dossierId, string? documentId, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        lock (_lock)
        {
            var all = _payments.Where(p => p.Key.Dossier == dossierId && (documentId is null || p.Key.Document == documentId)).Select(p => p.Value).ToList();
            var start = page.ContinuationToken is null ? 0
                : int.TryParse(page.ContinuationToken, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) && s >= 0 && s <= all.Count ? s
                : throw new InvalidContinuationTokenException();
            var items = all.Skip(start).Take(page.Size).ToList();
            var next = start + items.Count < all.Count ? (start + items.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new Page<PaymentRecord>(items, next));
        }
    }

    private string NextETag() => (++_etag).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Slot claims in this process only (tests, the bench).</summary>
public sealed class InMemoryPollSlotClaims : IPollSlotClaims
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Dossier, string Slot), (DateTimeOffset ClaimedAt, bool Queued)> _claims = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _claims.Count;
            }
        }
    }

    public Task<bool> TryClaimAsync(string dossierId, string slotKey, DateTimeOffset now, TimeSpan takeOverAfter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_claims.TryGetValue((dossierId, slotKey), out var claim) && (claim.Queued || now - claim.ClaimedAt < takeOverAfter))
            {
                return Task.FromResult(false);
            }

            _claims[(dossierId, slotKey)] = (now, false);
            return Task.FromResult(true);
        }
    }

    public Task MarkQueuedAsync(string dossierId, string slotKey, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_claims.TryGetValue((dossierId, slotKey), out var claim))
            {
                _claims[(dossierId, slotKey)] = (claim.ClaimedAt, true);
            }

            return Task.CompletedTask;
        }
    }
}
