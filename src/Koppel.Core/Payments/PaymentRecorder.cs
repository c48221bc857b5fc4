using System.Globalization;
using Koppel.Core.Domain;
using Koppel.Core.Events;
using Koppel.Core.Ports;
using Microsoft.Extensions.Logging;

namespace Koppel.Core.Payments;

/// <summary>What applying one view of an invoice changed, for the run log's counts.</summary>
public enum SettlementOutcome
{
    StillOpen,
    PartlyPaid,
    Paid,
    CreditNoted,
}

/// <summary>Who reports a settlement: the provider of a connection.</summary>
public sealed record SettlementSource(string Provider, string DisplayName, string ConnectionId);

/// <summary>
/// Records payments against tracked invoices, each once: a settlement's id is derived from the invoice and the settled
/// total it leads to (polls) or from the statement and movement (bank), so overlapping polls, two hosts or a repeated
/// statement add nothing twice. Every change writes a history line in the users' words.
/// </summary>
public sealed class PaymentRecorder(IPaymentStore store, IDocumentHistory history, EventPublisher publisher, TimeProvider clock, ILogger<PaymentRecorder> logger)
{
    private const int MaxConflicts = 20;

    /// <summary>
    /// The provider says <paramref name="providerSettled"/> of the invoice is settled (its amount minus what it still lists
    /// as open). Provisional bank payments it covers are confirmed, ones it contradicts are corrected, and anything settled
    /// beyond what Koppel knew is recorded: as a credit note up to what the dossier's credit notes for this invoice cover,
    /// the rest as a payment of <paramref name="date"/>.
    /// </summary>
    public async Task<SettlementOutcome> ApplyProviderViewAsync(
        TrackedInvoice invoice,
        decimal providerSettled,
        DateOnly date,
        SettlementSource source,
        IReadOnlyList<TrackedInvoice> creditNotes,
        bool seenOpen,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(creditNotes);
        for (var attempt = 0; ; attempt++)
        {
            var current = await store.GetInvoiceAsync(invoice.DossierId, invoice.DocumentId, cancellationToken) ?? invoice;
            var records = (await store.ListPaymentsAsync(invoice.DossierId, invoice.DocumentId, cancellationToken))
                .Where(r => r.Status != PaymentRecordStatus.Corrected)
                .ToList();
            var confirmed = records.Where(r => r.Status == PaymentRecordStatus.Confirmed).Sum(r => r.Amount);
            var provisional = records.Where(r => r.Status == PaymentRecordStatus.Provisional).ToList();
            var pending = provisional.Sum(r => r.Amount);
            var settled = Math.Clamp(providerSettled, 0m, current.Amount);
            var now = clock.GetUtcNow();
            var events = new List<HistoryEntry>();

            if (settled >= confirmed + pending)
            {
                foreach (var record in provisional)
                {
                    await store.ReplacePaymentAsync(record with { Status = PaymentRecordStatus.Confirmed, ConfirmedBy = source.Provider, UpdatedAt = now }, cancellationToken);
                    events.Add(Event(current, source, record.PaymentId, $"{source.DisplayName} confirmed the payment of {Money(record.Currency, record.Amount)} received on {Day(record.Date)}; the {record.SourceName} showed it first."));
                }

                var extra = settled - confirmed - pending;
                if (extra > 0)
                {
                    var credited = creditNotes.Where(c => c.IsCreditNote && current.Number is not null && c.CreditedInvoiceNumbers.Contains(current.Number, StringComparer.OrdinalIgnoreCase)).ToList();
                    var creditLeft = Math.Max(0m, credited.Sum(c => c.Amount) - records.Where(r => r.Kind == SettlementKind.CreditNote).Sum(r => r.Amount));
                    var creditPart = Math.Min(extra, creditLeft);
                    var paymentPart = extra - creditPart;
                    var total = confirmed + pending;
                    if (creditPart > 0)
                    {
                        total += creditPart;
                        var numbers = string.Join(", ", credited.Select(c => c.Number ?? c.DocumentId[..12]));
                        var record = NewRecord(current, SettlementKind.CreditNote, creditPart, total, date, source, now);
                        if (await AddAsync(record, cancellationToken))
                        {
                            events.Add(Event(current, source, record.PaymentId, $"{source.DisplayName}: settled by credit note {numbers} ({Money(current.Currency, creditPart)}){StillOpen(current, total)}."));
                        }
                    }

                    if (paymentPart > 0)
                    {
                        total += paymentPart;
                        var record = NewRecord(current, SettlementKind.Payment, paymentPart, total, date, source, now);
                        if (await AddAsync(record, cancellationToken))
                        {
                            events.Add(Event(current, source, record.PaymentId, $"{source.DisplayName}: payment of {Money(current.Currency, paymentPart)} received on {Day(date)}{StillOpen(current, total)}."));
                        }
                    }
                }
            }
            else if (settled != confirmed)
            {
                // The provider's books disagree with what the bank statement seemed to show: the provider wins.
                foreach (var record in provisional)
                {
                    await store.ReplacePaymentAsync(record with { Status = PaymentRecordStatus.Corrected, ConfirmedBy = source.Provider, UpdatedAt = now }, cancellationToken);
                    events.Add(Event(current, source, record.PaymentId, $"{source.DisplayName} does not show the payment of {Money(record.Currency, record.Amount)} that the {record.SourceName} seemed to show; Koppel follows {source.DisplayName}."));
                }

                if (settled > confirmed)
                {
                    var record = NewRecord(current, SettlementKind.Payment, settled - confirmed, settled, date, source, now);
                    if (await AddAsync(record, cancellationToken))
                    {
                        events.Add(Event(current, source, record.PaymentId, $"{source.DisplayName}: payment of {Money(current.Currency, settled - confirmed)} received on {Day(date)}{StillOpen(current, settled)}."));
                    }
                }
            }

            // else: the provider has not booked the bank's payment yet; the provisional record waits for the next poll.
            var after = (await store.ListPaymentsAsync(invoice.DossierId, invoice.DocumentId, cancellationToken)).Where(r => r.Status != PaymentRecordStatus.Corrected).ToList();
            var updated = WithStatus(current, after, now);
            if (seenOpen && !updated.SeenOpenBy.Contains(source.ConnectionId, StringComparer.Ordinal))
            {
                updated = updated with { SeenOpenBy = [.. updated.SeenOpenBy, source.ConnectionId] };
            }

            try
            {
                if (updated != current)
                {
                    await store.ReplaceInvoiceAsync(updated, cancellationToken);
                }

                await AppendAsync(events, cancellationToken);
                return OutcomeOf(updated);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxConflicts)
            {
                // Another poll (or the bank) changed it meanwhile: what was recorded stays recorded (ids are deterministic); decide again.
                await AppendAsync(events, cancellationToken);
            }
        }
    }

    /// <summary>
    /// A credit movement on the dossier's bank statement pays the invoice: recorded at once as provisional, with the
    /// statement and movement as its source. False when this movement was recorded for the invoice already.
    /// </summary>
    public async Task<bool> RecordBankPaymentAsync(TrackedInvoice invoice, decimal amount, DateOnly date, string statementDocumentId, int movementSequence, string sourceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var now = clock.GetUtcNow();
        var record = new PaymentRecord
        {
            DossierId = invoice.DossierId,
            DocumentId = invoice.DocumentId,
            PaymentId = PaymentIds.ForBankMovement(invoice.DocumentId, statementDocumentId, movementSequence),
            Kind = SettlementKind.Payment,
            Amount = amount,
            Currency = invoice.Currency,
            Date = date,
            Source = PaymentSources.Bank,
            SourceName = sourceName,
            SourceReference = statementDocumentId,
            Status = PaymentRecordStatus.Provisional,
            RecordedAt = now,
            UpdatedAt = now,
        };
        var added = await AddAsync(record, cancellationToken);
        var settledAfter = 0m;
        for (var attempt = 0; ; attempt++)
        {
            var current = await store.GetInvoiceAsync(invoice.DossierId, invoice.DocumentId, cancellationToken) ?? invoice;
            var records = (await store.ListPaymentsAsync(invoice.DossierId, invoice.DocumentId, cancellationToken)).Where(r => r.Status != PaymentRecordStatus.Corrected).ToList();
            settledAfter = records.Sum(r => r.Amount);
            var updated = WithStatus(current, records, now);
            try
            {
                if (updated != current)
                {
                    await store.ReplaceInvoiceAsync(updated, cancellationToken);
                }

                break;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxConflicts)
            {
            }
        }

        if (added)
        {
            await AppendAsync(
                [
                    new HistoryEntry
                    {
                        DossierId = invoice.DossierId,
                        DocumentId = invoice.DocumentId,
                        Event = HistoryEvent.Payment,
                        At = now,
                        Provider = PaymentSources.Bank,
                        Reference = record.PaymentId,
                        Detail = $"Bank: payment of {Money(invoice.Currency, amount)} received on {Day(date)} ({sourceName}){StillOpen(invoice, settledAfter)}; "
                            + "seen on the bank statement before the accounting package, which confirms it at its next poll.",
                    },
                ],
                cancellationToken);
        }

        return added;
    }

    private static TrackedInvoice WithStatus(TrackedInvoice invoice, IReadOnlyList<PaymentRecord> active, DateTimeOffset now)
    {
        var settled = active.Sum(r => r.Amount);
        var credit = active.Where(r => r.Kind == SettlementKind.CreditNote).Sum(r => r.Amount);
        var status = settled <= 0 ? InvoicePaymentStatus.Open
            : settled < invoice.Amount ? InvoicePaymentStatus.PartlyPaid
            : credit >= invoice.Amount ? InvoicePaymentStatus.CreditNoted
            : InvoicePaymentStatus.Paid;
        var closed = !invoice.IsCreditNote && settled >= invoice.Amount && active.All(r => r.Status == PaymentRecordStatus.Confirmed);
        return invoice.SettledAmount == settled && invoice.Status == status && invoice.Closed == closed
            ? invoice
            : invoice with { SettledAmount = settled, Status = status, Closed = closed, UpdatedAt = now };
    }

    private static SettlementOutcome OutcomeOf(TrackedInvoice invoice) => invoice.Status switch
    {
        InvoicePaymentStatus.Paid => SettlementOutcome.Paid,
        InvoicePaymentStatus.PartlyPaid => SettlementOutcome.PartlyPaid,
        InvoicePaymentStatus.CreditNoted => SettlementOutcome.CreditNoted,
        _ => SettlementOutcome.StillOpen,
    };

    private static PaymentRecord NewRecord(TrackedInvoice invoice, SettlementKind kind, decimal amount, decimal totalAfter, DateOnly date, SettlementSource source, DateTimeOffset now) => new()
    {
        DossierId = invoice.DossierId,
        DocumentId = invoice.DocumentId,
        PaymentId = PaymentIds.ForSettlement(invoice.DocumentId, kind, totalAfter),
        Kind = kind,
        Amount = amount,
        Currency = invoice.Currency,
        Date = date,
        Source = source.Provider,
        SourceName = source.DisplayName,
        SourceReference = source.ConnectionId,
        Status = PaymentRecordStatus.Confirmed,
        RecordedAt = now,
        UpdatedAt = now,
    };

    private HistoryEntry Event(TrackedInvoice invoice, SettlementSource source, string paymentId, string detail) => new()
    {
        DossierId = invoice.DossierId,
        DocumentId = invoice.DocumentId,
        Event = HistoryEvent.Payment,
        At = clock.GetUtcNow(),
        ConnectionId = source.ConnectionId,
        Provider = source.Provider,
        Reference = paymentId,
        Detail = detail,
    };

    /// <summary>
    /// Records a settlement; a payment is told to the platform first, so a crash in between tells it again (same event
    /// id) rather than never. Overlapping polls may both tell it: consumers drop repeats by id.
    /// </summary>
    private async Task<bool> AddAsync(PaymentRecord record, CancellationToken cancellationToken)
    {
        if (record.Kind == SettlementKind.Payment)
        {
            await publisher.PublishAsync(
                PlatformEvents.PaymentReceived(record.DossierId, record.DocumentId, record.PaymentId, record.Amount, record.Currency, record.Date, record.SourceName, stillOpen: null, clock.GetUtcNow()),
                cancellationToken);
        }

        return await store.TryAddPaymentAsync(record, cancellationToken);
    }

    private async Task AppendAsync(List<HistoryEntry> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        await history.AppendAsync(events, cancellationToken);
        foreach (var e in events)
        {
            logger.LogInformation("Payment of document {DocumentId} of dossier {DossierId}: {Detail}", e.DocumentId, e.DossierId, e.Detail);
        }
    }

    private static string StillOpen(TrackedInvoice invoice, decimal settledTotal) =>
        settledTotal < invoice.Amount ? $"; {Money(invoice.Currency, invoice.Amount - settledTotal)} still open" : string.Empty;

    public static string Money(string currency, decimal amount) => $"{currency} {amount.ToString("0.00", CultureInfo.InvariantCulture)}";

    public static string Day(DateOnly date) => date.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture);
}
