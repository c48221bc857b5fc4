using System.Globalization;
using System.Text.Json.Nodes;
using Koppel.Connectors.Common;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Venice;

/// <summary>
/// Builds the <c>Sales</c>/<c>Purchase</c> records and the relation records. Field names follow the WebConnect
/// object descriptions (Book, DocDate, TotalDocC, Entries with Account and AmountDocC, SyncReference). How Venice
/// marks a credit note is not in the public pages: Koppel sends positive amounts with <see cref="DocTypeFor"/>,
/// the one place to change should Venice want a minus sign instead.
/// </summary>
public static class VeniceMapping
{
    public static string ObjectFor(DocumentKind kind) => kind == DocumentKind.SalesInvoice ? VeniceEnvelope.Sales : VeniceEnvelope.Purchase;

    public static string RelationObjectFor(DocumentKind kind) => kind == DocumentKind.SalesInvoice ? VeniceEnvelope.Customer : VeniceEnvelope.Supplier;

    public static string DocTypeFor(InvoiceForBooking invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return invoice.IsCreditNote ? "CreditNote" : "Invoice";
    }

    public static JsonObject Booking(InvoiceForBooking invoice, DocumentKind kind, VeniceSettings settings, long relationNumber, string syncReference, out JsonArray entries)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(settings);
        var isSales = kind == DocumentKind.SalesInvoice;
        var account = isSales ? settings.SalesAccount : settings.PurchaseAccount;
        entries = new JsonArray(invoice.VatGroups.Select(g => (JsonNode)new JsonObject
        {
            ["Account"] = account,
            ["AmountDocC"] = g.TaxableAmount,
            ["VatCode"] = settings.VatCodes.CodeFor(g),
            ["VatAmountDocC"] = g.VatAmount,
            ["Remark"] = invoice.Number,
        }).ToArray());

        return new JsonObject
        {
            ["Book"] = isSales ? settings.SalesBook : settings.PurchaseBook,
            ["DocType"] = DocTypeFor(invoice),
            ["DocDate"] = Date(invoice.IssueDate),
            ["ExpDate"] = Date(invoice.DueDate ?? invoice.IssueDate),
            [isSales ? "Customer" : "Supplier"] = relationNumber,
            ["YourRef"] = invoice.Number,
            ["CurrencyCode"] = invoice.Currency,
            ["TotalDocC"] = invoice.TotalInclVat,
            ["StructComm"] = invoice.PaymentReference,
            ["Remark"] = $"{(invoice.IsCreditNote ? "Credit note" : "Invoice")} {invoice.Number}",
            ["SyncReference"] = syncReference,
        };
    }

    public static JsonObject Relation(Counterparty party)
    {
        ArgumentNullException.ThrowIfNull(party);
        return new JsonObject
        {
            ["Name"] = party.Name,
            ["VatNumber"] = party.VatNumber,
            ["Street"] = party.Street,
            ["PostalCode"] = party.PostalCode,
            ["City"] = party.City,
            ["CountryCode"] = party.CountryCode,
        };
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
