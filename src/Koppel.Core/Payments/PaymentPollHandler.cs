using System.Globalization;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Ports;
using Koppel.Core.Runs;
using Koppel.Core.Security;
using Microsoft.Extensions.Logging;

namespace Koppel.Core.Payments;

/// <summary>What one poll found, as the run log counts it.</summary>
public sealed record PaymentPollSummary(
    int Checked,
    int Paid,
    int PartlyPaid,
    int CreditNoted,
    int StillOpen,
    int Unmatched,
    int OtherOpenItems,
    int Calls,
    RunStatus Status,
    string ResultText);

/// <summary>
/// One poll job: asks the connection's accounting package which items are still open (one read per administration,
/// however many invoices), matches Koppel's open sales invoices delivered to that connection against them, records
/// what was settled, and writes one run-log line ("process payments"). An invoice is matched by the provider's
/// reference recorded at delivery, then by invoice number, then by structured communication.
/// </summary>
public sealed class PaymentPollHandler(
    IDossierRepository dossiers,
    IConnectionRepository connections,
    IDeliveryLedger ledger,
    IPaymentStore store,
    PaymentRecorder recorder,
    ConnectorCatalog catalog,
    ConnectionService connectionService,
    ConnectionHealthRecorder health,
    RunLogWriter runLog,
    TimeProvider clock,
    ILogger<PaymentPollHandler> logger)
{
    public async Task<PaymentPollSummary?> RunAsync(PollJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var startedAt = clock.GetUtcNow();
        var dossier = await dossiers.GetAsync(job.DossierId, cancellationToken);
        var connection = dossier is null ? null : await connections.GetAsync(job.DossierId, job.ConnectionId, cancellationToken);
        if (dossier is null || connection is null || !connection.Enabled || catalog.Find(connection.Provider) is not { } connector || connector is not IPaymentReader reader)
        {
            logger.LogInformation("Payment poll of connection {ConnectionId} of dossier {DossierId} skipped: it is gone, disabled or cannot read payments", job.ConnectionId, job.DossierId);
            return null;
        }

        var displayName = connector.Descriptor.DisplayName;
        var openDocuments = new List<TrackedInvoice>();
        await foreach (var tracked in store.ListOpenAsync(dossier.Id, cancellationToken))
        {
            openDocuments.Add(tracked);
        }

        var creditNotes = openDocuments.Where(t => t.IsCreditNote).ToList();
        var toCheck = new List<(TrackedInvoice Invoice, string? Reference)>();
        foreach (var tracked in openDocuments)
        {
            // The automatic delivery's id is deterministic: one point read tells whether (and as what) it reached this connection.
            var delivery = await ledger.GetAsync(dossier.Id, DeliveryIds.For(tracked.DocumentId, connection.Id), cancellationToken);
            if (delivery is { Status: DeliveryStatus.Delivered })
            {
                toCheck.Add((tracked, delivery.ProviderReference));
            }
        }

        var invoices = toCheck.Where(c => !c.Invoice.IsCreditNote).ToList();
        if (invoices.Count == 0)
        {
            return await RecordAsync(dossier, connection, startedAt, new PaymentPollSummary(0, 0, 0, 0, 0, 0, 0, 0, RunStatus.Succeeded, $"No open sales invoices delivered to {displayName}; nothing to ask."), cancellationToken);
        }

        IReadOnlyCollection<string> secretValues = [];
        ReceivablesReadResult read;
        try
        {
            (var settings, secretValues) = await connectionService.LoadSettingsAsync(connection, cancellationToken);
            read = await reader.ReadReceivablesAsync(
                new PaymentReadContext(dossier, connection, settings, [.. toCheck.Select(c => new InvoiceToCheck(c.Invoice.DocumentId, c.Invoice.Number, c.Reference, c.Invoice.StructuredReference, c.Invoice.Amount))]),
                cancellationToken);
        }
        catch (ConnectorConfigurationException e)
        {
            read = ReceivablesReadResult.Failed(DeliveryResult.Permanent(e.Message));
        }

        // A poll says as much about the connection as a delivery does: the morning list shows a broken one either way.
        await health.RecordAsync(connection, read.Failure ?? DeliveryResult.Delivered("read"), secretValues, cancellationToken);
        if (read.Failure is { } failure)
        {
            var reason = SecretScrubber.Scrub(failure.Reason ?? "the provider could not be read", secretValues);
            var text = failure.Kind == DeliveryResultKind.Deferred
                ? $"{displayName} was not asked: {reason} The next scheduled poll tries again."
                : $"{displayName} could not be asked which invoices are paid: {reason} The next scheduled poll tries again.";
            var status = failure.Kind == DeliveryResultKind.Deferred ? RunStatus.PartiallySucceeded : RunStatus.Failed;
            return await RecordAsync(dossier, connection, startedAt, new PaymentPollSummary(invoices.Count, 0, 0, 0, 0, 0, 0, read.Calls, status, text), cancellationToken);
        }

        var items = read.OpenItems.ToList();
        var taken = new HashSet<ProviderReceivable>(ReferenceEqualityComparer.Instance);
        var source = new SettlementSource(connection.Provider, displayName, connection.Id);
        var today = Today(dossier);
        int paid = 0, partly = 0, credited = 0, open = 0, unmatched = 0;

        // Credit notes Koppel delivered are open items at the provider too, until the provider settles them: not "other" items.
        foreach (var (creditNote, reference) in toCheck.Where(c => c.Invoice.IsCreditNote))
        {
            if (Match(creditNote, reference, items, taken) is { } item)
            {
                taken.Add(item);
            }
        }

        foreach (var (invoice, reference) in invoices)
        {
            var item = Match(invoice, reference, items, taken);
            decimal settled;
            DateOnly date;
            if (item is not null)
            {
                taken.Add(item);
                settled = (item.OriginalAmount ?? invoice.Amount) - item.OpenAmount;
                if (item.OpenAmount <= 0)
                {
                    settled = invoice.Amount;
                }

                date = item.LastPaymentDate ?? today;
            }
            else if (read.Complete && invoice.SeenOpenBy.Contains(connection.Id, StringComparer.Ordinal))
            {
                // Listed as open before, no longer listed: settled in full.
                settled = invoice.Amount;
                date = today;
            }
            else
            {
                unmatched++;
                continue;
            }

            var outcome = await recorder.ApplyProviderViewAsync(invoice, settled, date, source, creditNotes, seenOpen: item is not null, cancellationToken);
            switch (outcome)
            {
                case SettlementOutcome.Paid: paid++; break;
                case SettlementOutcome.PartlyPaid: partly++; break;
                case SettlementOutcome.CreditNoted: credited++; break;
                default: open++; break;
            }
        }

        var others = items.Count(i => !taken.Contains(i));
        var result = string.Create(
            CultureInfo.InvariantCulture,
            $"{invoices.Count} open invoice(s) checked at {displayName}: {paid} paid, {partly} partly paid, {credited} credit-noted, {open} still open, {unmatched} unmatched (not found at {displayName}); {others} other open item(s) at {displayName} not from Koppel; {read.Calls} call(s).");
        return await RecordAsync(dossier, connection, startedAt, new PaymentPollSummary(invoices.Count, paid, partly, credited, open, unmatched, others, read.Calls, RunStatus.Succeeded, result), cancellationToken);
    }

    /// <summary>The provider's item for the invoice: by the delivery's provider reference, then invoice number, then structured communication.</summary>
    internal static ProviderReceivable? Match(TrackedInvoice invoice, string? deliveryReference, IReadOnlyList<ProviderReceivable> items, IReadOnlySet<ProviderReceivable> taken)
    {
        var free = items.Where(i => !taken.Contains(i)).ToList();
        if (!string.IsNullOrWhiteSpace(deliveryReference))
        {
            var tokens = deliveryReference.Split([' ', '(', ')', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (free.FirstOrDefault(i => i.References.Any(r => tokens.Contains(r, StringComparer.OrdinalIgnoreCase) || string.Equals(r, deliveryReference.Trim(), StringComparison.OrdinalIgnoreCase))) is { } byReference)
            {
                return byReference;
            }
        }

        if (!string.IsNullOrWhiteSpace(invoice.Number)
            && free.FirstOrDefault(i => string.Equals(i.InvoiceNumber?.Trim(), invoice.Number, StringComparison.OrdinalIgnoreCase)) is { } byNumber)
        {
            return byNumber;
        }

        return invoice.StructuredReference is { } digits
            ? free.FirstOrDefault(i => StructuredCommunication.Digits(i.Description) == digits || StructuredCommunication.Digits(i.InvoiceNumber) == digits)
            : null;
    }

    private DateOnly Today(Dossier dossier)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(dossier.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);
    }

    private async Task<PaymentPollSummary> RecordAsync(Dossier dossier, Connection connection, DateTimeOffset startedAt, PaymentPollSummary summary, CancellationToken cancellationToken)
    {
        await runLog.RecordAsync(
            dossier.Id,
            RunCategory.PaymentPoll,
            summary.Status,
            summary.ResultText,
            summary.Checked,
            provider: connection.Provider,
            connectionId: connection.Id,
            startedAt: startedAt,
            cancellationToken: cancellationToken);
        logger.LogInformation("Payment poll of connection {ConnectionId} ({Provider}) of dossier {DossierId}: {Result}", connection.Id, connection.Provider, dossier.Id, summary.ResultText);
        return summary;
    }
}
