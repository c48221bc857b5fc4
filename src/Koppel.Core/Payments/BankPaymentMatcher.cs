using System.Globalization;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Koppel.Formats.Coda;
using Koppel.Formats.Sniffing;
using Microsoft.Extensions.Logging;

namespace Koppel.Core.Payments;

/// <summary>
/// Payments straight from the bank: when a CODA statement of the dossier arrives, each credit movement whose structured
/// communication (or, failing that, amount plus invoice number in the free communication) matches an open sales invoice
/// records the payment at once, provisionally, with the statement and movement as its source. The next poll of the
/// accounting package confirms or corrects it.
/// </summary>
public sealed class BankPaymentMatcher(IDocumentArchive archive, IPaymentStore store, PaymentRecorder recorder, ILogger<BankPaymentMatcher> logger)
{
    /// <summary>Matches the statement's credit movements; returns how many payments were recorded (0 when seen before).</summary>
    public async Task<int> MatchStatementAsync(DocumentRecord statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (statement.Format != DocumentFormat.Coda)
        {
            return 0;
        }

        var open = new List<TrackedInvoice>();
        await foreach (var tracked in store.ListOpenAsync(statement.DossierId, cancellationToken))
        {
            if (!tracked.IsCreditNote && tracked.OpenAmount > 0)
            {
                open.Add(tracked);
            }
        }

        if (open.Count == 0)
        {
            return 0;
        }

        CodaFile coda;
        await using (var content = await archive.OpenReadAsync(statement.Id, cancellationToken))
        {
            coda = await CodaReader.ReadAsync(content, null, cancellationToken);
        }

        var recorded = 0;
        foreach (var part in coda.Statements)
        {
            var statementName = $"bank statement {part.Account}{(part.CodaSequence is { } sequence ? " " + sequence.ToString("D3", CultureInfo.InvariantCulture) : string.Empty)}";
            foreach (var movement in part.Movements.Where(m => m.Amount > 0))
            {
                var invoice = Match(movement, open);
                if (invoice is null)
                {
                    continue;
                }

                var amount = Math.Min(movement.Amount, invoice.OpenAmount);
                var date = movement.ValueDate ?? movement.EntryDate ?? part.NewBalanceDate ?? DateOnly.FromDateTime(DateTime.UtcNow);
                var source = $"{statementName}, movement {movement.Sequence.ToString(CultureInfo.InvariantCulture)}";
                if (await recorder.RecordBankPaymentAsync(invoice, amount, date, statement.Id, movement.Sequence, source, cancellationToken))
                {
                    recorded++;
                    logger.LogInformation("Bank statement {StatementId} of dossier {DossierId} pays invoice {Number} ({Amount})", statement.Id, statement.DossierId, invoice.Number, amount);
                }

                open.Remove(invoice);
            }
        }

        return recorded;
    }

    /// <summary>By structured communication; failing that, by the exact open amount with the invoice number in the free communication.</summary>
    internal static TrackedInvoice? Match(CodaMovement movement, IReadOnlyList<TrackedInvoice> open)
    {
        if (StructuredCommunication.Digits(movement.StructuredCommunication) is { } digits
            && open.FirstOrDefault(i => i.StructuredReference == digits) is { } byReference)
        {
            return byReference;
        }

        var free = movement.Communication ?? string.Empty;
        if (StructuredCommunication.Digits(free) is { } freeDigits && open.FirstOrDefault(i => i.StructuredReference == freeDigits) is { } byFreeReference)
        {
            return byFreeReference;
        }

        return open.FirstOrDefault(i => i.Number is { Length: > 0 } number
            && i.OpenAmount == movement.Amount
            && ContainsWord(free, number));
    }

    private static bool ContainsWord(string text, string word)
    {
        for (var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var before = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
            var after = at + word.Length >= text.Length || !char.IsLetterOrDigit(text[at + word.Length]);
            if (before && after)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>What ingest does for payments: follow new sales invoices and credit notes, and read bank statements for payments.</summary>
public sealed class PaymentIntake(InvoiceTracker tracker, BankPaymentMatcher bank, ILogger<PaymentIntake> logger)
{
    public async Task OnAcceptedAsync(DocumentRecord document, string? paymentReference, IReadOnlyList<string> billingReferences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (InvoiceTracker.Follows(document))
        {
            await tracker.TrackAsync(document, paymentReference, billingReferences, cancellationToken);
            return;
        }

        if (document.Kind == DocumentKind.BankStatement && document.Format == DocumentFormat.Coda)
        {
            try
            {
                await bank.MatchStatementAsync(document, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // The statement itself is safe in the archive and delivered as usual; the next poll finds the payments anyway.
                logger.LogError(e, "Reading payments from bank statement {DocumentId} of dossier {DossierId} failed; the next poll of the accounting package finds them", document.Id, document.DossierId);
            }
        }
    }
}
