using System.Globalization;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Relations;
using Koppel.Formats.Findings;
using Koppel.Formats.Ubl;

namespace Koppel.Connectors.ExactOnline;

/// <summary>
/// Books a UBL invoice or credit note as a sales entry (<c>salesentry/SalesEntries</c>) or purchase entry
/// (<c>purchaseentry/PurchaseEntries</c>): one line per VAT rate of the document's VAT breakdown on the connection's GL
/// account, the relation matched by VAT number in <c>crm/Accounts</c> (or created), then the embedded PDF attached
/// through <c>documents/Documents</c> + <c>DocumentAttachments</c> linked to the entry. Before posting, the entry is
/// looked up by <c>YourRef</c> (the invoice number) in the same journal for the same relation, so a retry after a lost
/// answer never books twice.
/// </summary>
internal static class ExactBooking
{
    public const int SalesInvoiceType = 20;
    public const int SalesCreditNoteType = 21;
    public const int PurchaseInvoiceType = 30;
    public const int PurchaseCreditNoteType = 31;

    /// <summary>Exact's document types for the attached PDF (its DocumentTypes list).</summary>
    public const int SalesInvoiceDocumentType = 10;
    public const int PurchaseInvoiceDocumentType = 20;

    public static async Task<DeliveryResult> BookAsync(ExactSession session, DeliveryContext context, ExactOnlineSettings settings, PartyMatcher? parties, CancellationToken cancellationToken)
    {
        var sales = context.Document.Kind == DocumentKind.SalesInvoice;
        var journal = (sales ? settings.SalesJournal : settings.PurchaseJournal)!;
        var glCode = (sales ? settings.SalesGLAccount : settings.PurchaseGLAccount)!;

        UblDocument ubl;
        try
        {
            await using var stream = await context.OpenDocumentAsync(cancellationToken);
            ubl = await UblReader.ReadAsync(stream, cancellationToken: cancellationToken);
        }
        catch (DocumentReadException e)
        {
            return DeliveryResult.Permanent($"The document could not be read to book it in Exact: {e.Message}");
        }

        if (string.IsNullOrWhiteSpace(ubl.Number))
        {
            return DeliveryResult.Permanent("The invoice has no number; Exact needs it as the entry's reference (YourRef).");
        }

        var credit = ubl.Kind == UblDocumentKind.CreditNote || ubl.TypeCode == "381";
        var party = sales ? ubl.Customer : ubl.Supplier;
        var (accountId, partyNote) = await FindOrCreateAccountAsync(session, context, settings, parties, party, sales ? PartyKind.Customer : PartyKind.Supplier, sales ? [] : ubl.PaymentMeans.Select(p => p.Iban).OfType<string>().ToList(), cancellationToken);
        var glAccount = await session.GLAccountIdAsync(glCode, cancellationToken);
        var lines = LinesFor(ubl, glAccount, settings.VatCodes, credit);

        var yourRef = ubl.Number.Trim();
        var relationField = sales ? "Customer" : "Supplier";
        var filter = $"YourRef eq {OData.Literal(yourRef)} and Journal eq {OData.Literal(journal)} and {relationField} eq {OData.Literal(accountId)}";
        var what = sales ? "sales entry" : "purchase entry";
        var existing = await session.CallAsync(
            $"look-up of an earlier {what}",
            t => sales
                ? session.Api.SalesEntriesAsync(t, session.Division, filter, "EntryID,EntryNumber", cancellationToken)
                : session.Api.PurchaseEntriesAsync(t, session.Division, filter, "EntryID,EntryNumber", cancellationToken),
            cancellationToken);

        var entry = existing.FirstOrNull;
        if (entry is null)
        {
            var description = Shorten($"{PartyName(party) ?? relationField} {yourRef}", 60);
            var paymentReference = ubl.PaymentMeans.Select(p => p.PaymentId).FirstOrDefault(p => !string.IsNullOrWhiteSpace(p));
            var created = await session.CallAsync(
                what,
                t => sales
                    ? session.Api.CreateSalesEntryAsync(t, session.Division, new ExactSalesEntry
                    {
                        Journal = journal,
                        Customer = accountId,
                        Type = credit ? SalesCreditNoteType : SalesInvoiceType,
                        EntryDate = Date(ubl.IssueDate),
                        DueDate = Date(ubl.DueDate),
                        YourRef = yourRef,
                        PaymentReference = paymentReference,
                        Currency = ubl.DocumentCurrencyCode,
                        Description = description,
                        SalesEntryLines = lines,
                    }, cancellationToken)
                    : session.Api.CreatePurchaseEntryAsync(t, session.Division, new ExactPurchaseEntry
                    {
                        Journal = journal,
                        Supplier = accountId,
                        Type = credit ? PurchaseCreditNoteType : PurchaseInvoiceType,
                        EntryDate = Date(ubl.IssueDate),
                        DueDate = Date(ubl.DueDate),
                        YourRef = yourRef,
                        PaymentReference = paymentReference,
                        Currency = ubl.DocumentCurrencyCode,
                        Description = description,
                        PurchaseEntryLines = lines,
                    }, cancellationToken),
                cancellationToken);
            entry = created.D ?? throw new ExactFailure(DeliveryResult.Transient($"Exact Online accepted the {what} but did not say its number; Koppel looks it up on the next try."));
        }

        await AttachPdfAsync(session, context, entry.EntryID, accountId, sales, yourRef, cancellationToken);
        return DeliveryResult.Delivered(entry.EntryNumber is { } number
            ? $"{number.ToString(CultureInfo.InvariantCulture)} ({entry.EntryID:D})"
            : entry.EntryID.ToString("D")).WithNote(partyNote);
    }

    /// <summary>
    /// One entry line per VAT rate: the taxable amount (excl. VAT) and the VAT of that rate, on the connection's GL account.
    /// A UBL credit note carries positive amounts and says "credit" by its kind; Exact's credit-note entry types (21/31)
    /// expect the amounts signed as they hit the ledger, i.e. negative, the same way a credit note is typed in
    /// Exact's own entry screen. So Koppel negates them here, in one place.
    /// </summary>
    internal static List<ExactEntryLine> LinesFor(UblDocument ubl, Guid glAccount, IReadOnlyDictionary<string, string> vatCodes, bool credit)
    {
        var sign = credit ? -1m : 1m;
        var breakdown = ubl.VatBreakdown;
        if (breakdown.Count == 0)
        {
            throw new ExactFailure(DeliveryResult.Permanent("The invoice has no VAT breakdown, so Koppel cannot tell Exact which VAT code to book; send it to the postbox instead."));
        }

        var description = Shorten(ubl.Lines.Select(l => l.ItemName).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)) ?? ubl.Number ?? string.Empty, 60);
        return breakdown.Select(subtotal => new ExactEntryLine
        {
            GLAccount = glAccount,
            AmountFC = sign * (subtotal.TaxableAmount?.Value ?? 0m),
            VATAmountFC = sign * (subtotal.TaxAmount?.Value ?? 0m),
            VATCode = VatCodeFor(subtotal.Category, vatCodes),
            Description = description,
        }).ToList();
    }

    /// <summary>A category with its own treatment (reverse charge AE, intra-EU K, exempt E…) first, else the rate.</summary>
    private static string VatCodeFor(UblTaxCategory? category, IReadOnlyDictionary<string, string> vatCodes)
    {
        var code = category?.Code?.ToUpperInvariant();
        if (code is not null && code != "S" && vatCodes.TryGetValue(code, out var byCategory))
        {
            return byCategory;
        }

        var rate = ExactOnlineSettings.NormaliseVatKey((category?.Percent ?? 0m).ToString(CultureInfo.InvariantCulture));
        return vatCodes.TryGetValue(rate, out var byRate)
            ? byRate
            : throw new ExactFailure(DeliveryResult.Permanent(
                $"There is no Exact VAT code for VAT {rate}% (category {code ?? "?"}); add it to the connection's '{ExactOnlineSettings.VatCodesKey}' setting, e.g. \"{rate}=…\"."));
    }

    /// <summary>
    /// The Exact account of the document's customer (sales) or supplier (purchase): first among the connection's synced
    /// relations (VAT number, enterprise number, IBAN, exact name), then Exact's own look-up (VAT number, else name), else
    /// created when the connection allows it. Returns the history line that says which.
    /// </summary>
    private static async Task<(Guid Account, string Note)> FindOrCreateAccountAsync(
        ExactSession session, DeliveryContext context, ExactOnlineSettings settings, PartyMatcher? parties, UblParty? party, PartyKind kind, IReadOnlyList<string> ibans, CancellationToken cancellationToken)
    {
        var customer = kind == PartyKind.Customer;
        var role = customer ? "customer" : "supplier";
        var name = PartyName(party)
            ?? throw new ExactFailure(DeliveryResult.Permanent($"The invoice names no {role}, so Koppel cannot find the relation in Exact."));
        var vat = NormaliseVat(party?.VatNumber);
        var lookup = parties is null
            ? PartyLookup.NotSynced
            : await parties.MatchAsync(context.Dossier.Id, context.Connection.Id, new PartyToMatch(kind, name, party?.VatNumber, party?.BelgianEnterpriseNumber, ibans), cancellationToken);
        if (lookup.Match is { } match && Guid.TryParse(match.Party.ProviderId, out var matched))
        {
            return (matched, match.Describe(role, "Exact Online", "account"));
        }

        var filter = vat is not null ? $"VATNumber eq {OData.Literal(vat)}" : $"Name eq {OData.Literal(name)}";
        var found = await session.CallAsync(
            "relation look-up",
            t => session.Api.AccountsAsync(t, session.Division, filter, "ID,Code,Name,VATNumber", cancellationToken),
            cancellationToken);
        var who = vat is not null ? $"'{name}' (VAT {vat})" : $"'{name}'";
        if (found.FirstOrNull is { } account)
        {
            var key = vat is not null ? $"VAT number {vat}" : $"name '{name}'";
            return (account.ID, $"{char.ToUpperInvariant(role[0])}{role[1..]} found in Exact Online by {key} → account {account.Code?.Trim() ?? account.ID.ToString("D")} ({(lookup.Synced ? "not yet among the synced relations" : "relations not synced yet")}).");
        }

        if (!settings.CreateParties)
        {
            throw new ExactFailure(DeliveryResult.Permanent(
                $"{char.ToUpperInvariant(role[0])}{role[1..]} {who} does not exist in Exact division {session.Division}, and this connection does not create relations ('{ExactOnlineSettings.CreatePartiesKey}' is false). Add the account in Exact, sync the relations, and resend."));
        }

        var address = party!.PostalAddress;
        var created = await session.CallAsync(
            $"new relation '{name}'",
            t => session.Api.CreateAccountAsync(t, session.Division, new ExactNewAccount
            {
                Name = Shorten(name, 100),
                VATNumber = vat,
                ChamberOfCommerce = party.BelgianEnterpriseNumber,
                AddressLine1 = address?.StreetName,
                Postcode = address?.PostalZone,
                City = address?.CityName,
                Country = address?.CountryCode,
                Status = customer ? "C" : null,
                IsSupplier = customer ? null : true,
            }, cancellationToken),
            cancellationToken);
        var id = created.D?.ID ?? throw new ExactFailure(DeliveryResult.Transient("Exact Online created the relation but did not say its id; Koppel looks it up on the next try."));
        return (id, $"{char.ToUpperInvariant(role[0])}{role[1..]} {who} not found in Exact Online; created as a new account ('{ExactOnlineSettings.CreatePartiesKey}' allows it).");
    }

    private static async Task AttachPdfAsync(ExactSession session, DeliveryContext context, Guid entryId, Guid accountId, bool sales, string yourRef, CancellationToken cancellationToken)
    {
        var pdf = context.Document.Attachments.FirstOrDefault(a => ExactContent.IsPdf(a.MimeType, a.FileName));
        if (pdf is null)
        {
            return;
        }

        var documents = await session.CallAsync(
            "look-up of the entry's document",
            t => session.Api.DocumentsAsync(t, session.Division, $"FinancialTransactionEntryID eq {OData.Literal(entryId)}", "ID", cancellationToken),
            cancellationToken);
        var documentId = documents.FirstOrNull?.ID;
        if (documentId is null)
        {
            var created = await session.CallAsync(
                "document for the PDF",
                t => session.Api.CreateDocumentAsync(t, session.Division, new ExactNewDocument
                {
                    Subject = Shorten($"{(sales ? "Sales" : "Purchase")} invoice {yourRef}", 200),
                    Type = sales ? SalesInvoiceDocumentType : PurchaseInvoiceDocumentType,
                    Account = accountId,
                    FinancialTransactionEntryID = entryId,
                }, cancellationToken),
                cancellationToken);
            documentId = created.D?.ID ?? throw new ExactFailure(DeliveryResult.Transient("Exact Online created the document but did not say its id; Koppel tries again."));
        }
        else
        {
            var attachments = await session.CallAsync(
                "look-up of the document's files",
                t => session.Api.DocumentAttachmentsAsync(t, session.Division, $"Document eq {OData.Literal(documentId.Value)}", "ID", cancellationToken),
                cancellationToken);
            if (attachments.Items.Count > 0)
            {
                return;
            }
        }

        var bytes = await ExactContent.ReadAllAsync(ct => context.OpenAttachmentAsync(pdf, ct), cancellationToken);
        await session.CallAsync(
            $"PDF '{pdf.FileName}'",
            t => session.Api.CreateDocumentAttachmentAsync(t, session.Division, new ExactNewDocumentAttachment(documentId.Value, pdf.FileName, Convert.ToBase64String(bytes)), cancellationToken),
            cancellationToken);
    }

    private static string? PartyName(UblParty? party) =>
        new[] { party?.LegalName, party?.TradingName }.FirstOrDefault(n => !string.IsNullOrWhiteSpace(n))?.Trim();

    /// <summary>"BE 0403.170.701" and "be0403170701" are one VAT number.</summary>
    internal static string? NormaliseVat(string? vat)
    {
        if (string.IsNullOrWhiteSpace(vat))
        {
            return null;
        }

        var cleaned = new string(vat.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant();
        return cleaned.Length == 0 ? null : cleaned;
    }

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max];
}
