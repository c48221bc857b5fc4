using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Ubl;

namespace Koppel.Connectors.Common;

/// <summary>One VAT group of an invoice: the taxable base and the VAT at one rate (or exemption category).</summary>
public sealed record VatGroup(decimal Rate, string Category, decimal TaxableAmount, decimal VatAmount);

/// <summary>The other party of an invoice: the customer of a sales invoice, the supplier of a purchase invoice.</summary>
public sealed record Counterparty(string Name, string? VatNumber, string? Street, string? PostalCode, string? City, string? CountryCode);

/// <summary>
/// What an accounting package needs to book one archived UBL invoice or credit note, read with Koppel.Formats.
/// Every amount is the document's own figure, positive as written; whether a credit note books with a minus sign
/// is each provider's convention, so the mapping of each connector decides, not this class.
/// </summary>
public sealed record InvoiceForBooking
{
    public required bool IsCreditNote { get; init; }

    public required string Number { get; init; }

    public required DateOnly IssueDate { get; init; }

    public DateOnly? DueDate { get; init; }

    public required string Currency { get; init; }

    /// <summary>Total including VAT (BT-112).</summary>
    public required decimal TotalInclVat { get; init; }

    public required IReadOnlyList<VatGroup> VatGroups { get; init; }

    public required Counterparty Counterparty { get; init; }

    /// <summary>The payment reference (for Belgium the structured communication), when the document gives one.</summary>
    public string? PaymentReference { get; init; }

    /// <summary>Reads the archived document of <paramref name="context"/>; one that lacks what a booking needs ends in an <see cref="UnbookableDocumentException"/>.</summary>
    public static async Task<InvoiceForBooking> ReadAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        UblDocument ubl;
        await using (var content = await context.OpenDocumentAsync(cancellationToken))
        {
            ubl = await UblReader.ReadAsync(content, cancellationToken: cancellationToken);
        }

        return From(ubl, context.Document.Kind);
    }

    public static InvoiceForBooking From(UblDocument ubl, DocumentKind kind)
    {
        ArgumentNullException.ThrowIfNull(ubl);
        var number = ubl.Number ?? throw new UnbookableDocumentException("it has no invoice number");
        var issueDate = ubl.IssueDate ?? throw new UnbookableDocumentException($"invoice {number} has no issue date");
        var total = ubl.Totals?.TaxInclusiveAmount?.Value ?? ubl.Totals?.PayableAmount?.Value
            ?? throw new UnbookableDocumentException($"invoice {number} has no total amount");

        var groups = ubl.VatBreakdown
            .Select(s => new VatGroup(
                s.Category?.Percent ?? 0m,
                s.Category?.Code ?? "S",
                s.TaxableAmount?.Value ?? throw new UnbookableDocumentException($"a VAT group of invoice {number} has no taxable amount"),
                s.TaxAmount?.Value ?? 0m))
            .ToList();
        if (groups.Count == 0)
        {
            throw new UnbookableDocumentException($"invoice {number} has no VAT breakdown");
        }

        var party = kind == DocumentKind.SalesInvoice ? ubl.Customer : ubl.Supplier;
        var name = party?.LegalName ?? party?.TradingName
            ?? throw new UnbookableDocumentException($"invoice {number} does not name its {(kind == DocumentKind.SalesInvoice ? "customer" : "supplier")}");
        var address = party.PostalAddress;

        return new InvoiceForBooking
        {
            IsCreditNote = ubl.Kind == UblDocumentKind.CreditNote,
            Number = number,
            IssueDate = issueDate,
            DueDate = ubl.DueDate,
            Currency = ubl.DocumentCurrencyCode ?? "EUR",
            TotalInclVat = total,
            VatGroups = groups,
            Counterparty = new Counterparty(name, NormalizeVat(party.VatNumber), address?.StreetName, address?.PostalZone, address?.CityName, address?.CountryCode),
            PaymentReference = ubl.PaymentMeans.Select(p => p.PaymentId).FirstOrDefault(id => !string.IsNullOrWhiteSpace(id)),
        };
    }

    private static string? NormalizeVat(string? vat) =>
        string.IsNullOrWhiteSpace(vat) ? null : new string(vat.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant();
}

/// <summary>The document lacks what a booking needs; retrying will not help, a person must look at it.</summary>
public sealed class UnbookableDocumentException : Exception
{
    public UnbookableDocumentException()
    {
    }

    public UnbookableDocumentException(string why)
        : base($"The document cannot be booked: {why}.")
    {
    }

    public UnbookableDocumentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
