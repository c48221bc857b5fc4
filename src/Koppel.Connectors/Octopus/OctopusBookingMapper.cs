using Koppel.Connectors.Common;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Octopus;

/// <summary>Turns an archived UBL invoice or credit note into an Octopus sales or purchase booking.</summary>
public static class OctopusBookingMapper
{
    public static OctopusBuySellBooking Map(InvoiceForBooking invoice, DocumentKind kind, OctopusSettings settings, int bookYearId, int relationId, string marker)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(settings);
        var isSales = kind == DocumentKind.SalesInvoice;
        var account = isSales ? settings.SalesAccount : settings.PurchaseAccount;

        // Octopus' convention (providers.md §4c): a credit note is a booking with a NEGATIVE total whose lines stay
        // POSITIVE; the minus sign on the total is what makes Octopus book it as a credit note, not a second invoice.
        var total = invoice.IsCreditNote ? -invoice.TotalInclVat : invoice.TotalInclVat;

        return new OctopusBuySellBooking
        {
            BookyearId = bookYearId,
            JournalKey = isSales ? settings.SalesJournal : settings.PurchaseJournal,
            RelationId = relationId,
            DocumentDate = invoice.IssueDate,
            ExpiryDate = invoice.DueDate ?? invoice.IssueDate,
            Comment = $"{(invoice.IsCreditNote ? "Credit note" : "Invoice")} {invoice.Number} {marker}",
            Reference = invoice.PaymentReference,
            Amount = total,
            CurrencyCode = invoice.Currency,
            BookingLines = invoice.VatGroups
                .Select(g => new OctopusBookingLine(account, settings.VatCodes.CodeFor(g), Math.Abs(g.TaxableAmount), Math.Abs(g.VatAmount), invoice.Number))
                .ToList(),
        };
    }

    public static OctopusRelation RelationFor(Counterparty party, DocumentKind kind)
    {
        ArgumentNullException.ThrowIfNull(party);
        return new OctopusRelation
        {
            Name = party.Name,
            VatNr = party.VatNumber,
            StreetAndNr = party.Street,
            PostalCode = party.PostalCode,
            City = party.City,
            Country = party.CountryCode,
            Client = kind == DocumentKind.SalesInvoice,
            Supplier = kind == DocumentKind.PurchaseInvoice,
        };
    }
}
