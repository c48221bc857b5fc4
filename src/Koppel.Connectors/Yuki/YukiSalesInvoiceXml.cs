using System.Globalization;
using System.Xml.Linq;
using Koppel.Formats.Ubl;

namespace Koppel.Connectors.Yuki;

/// <summary>Yuki's verdict on one invoice of a <c>ProcessSalesInvoices</c> call.</summary>
internal sealed record YukiInvoiceOutcome(bool Succeeded, string? Reference, string? Message);

/// <summary>
/// The <c>SalesInvoices</c> document of <c>Sales.ProcessSalesInvoices</c>, built from the archived UBL, and the
/// reading of its <c>SalesInvoicesImportResponse</c>. Element names and order follow the published SalesInvoices.xsd
/// as summarised in providers.md §1c (the XSD itself was not available to check against).
/// </summary>
internal static class YukiSalesInvoiceXml
{
    public static readonly XNamespace Ns = "urn:xmlns:http://www.theyukicompany.com:salesinvoices";

    public static bool IsCreditNote(UblDocument ubl)
    {
        ArgumentNullException.ThrowIfNull(ubl);
        return ubl.Kind == UblDocumentKind.CreditNote || ubl.TypeCode?.Trim() == "381";
    }

    public static XElement Build(UblDocument ubl, string number, YukiSettings settings, string? contactCode = null)
    {
        var credit = IsCreditNote(ubl);

        // Yuki's SalesInvoices schema has no credit-note type: a credit note is a sales invoice whose total is
        // negative. UBL writes a credit note's quantities and amounts positive (the document type carries the sign),
        // so the quantities are negated here, and the unit prices stay positive: Yuki computes each line as quantity
        // × price, and the product it matches by description keeps its normal, positive sales price.
        var sign = credit ? -1m : 1m;
        var glAccount = settings.GlAccountCode ?? string.Empty;

        var lines = new List<XElement>();
        foreach (var line in ubl.Lines)
        {
            var (quantity, price) = QuantityAndPrice(line.Quantity?.Value, line.LineExtensionAmount?.Value ?? 0m);
            lines.Add(Line(line.ItemName ?? $"Line {line.Id ?? line.Position.ToString(CultureInfo.InvariantCulture)}", sign * quantity, price, line.TaxCategory?.Percent, glAccount));
        }

        // Document-level allowances and charges (BG-20/21) are lines of their own, so the totals match the UBL.
        foreach (var charge in ubl.AllowanceCharges)
        {
            var amount = charge.Amount?.Value ?? 0m;
            var isCharge = charge.IsCharge ?? false;
            var description = charge.Reason ?? (isCharge ? "Charge" : "Allowance");
            lines.Add(Line(description, sign, isCharge ? amount : -amount, charge.TaxCategory?.Percent, glAccount));
        }

        var customer = ubl.Customer;
        var paymentId = ubl.PaymentMeans.Select(p => p.PaymentId).FirstOrDefault(p => !string.IsNullOrWhiteSpace(p));
        return new XElement(
            Ns + "SalesInvoices",
            new XElement(
                Ns + "SalesInvoice",
                new XElement(Ns + "Reference", number),
                new XElement(Ns + "Subject", $"{(credit ? "Credit note" : "Invoice")} {number}"),
                Optional("PaymentID", paymentId?.Trim()),
                new XElement(Ns + "Process", settings.Process ? "true" : "false"),
                new XElement(Ns + "EmailToCustomer", "false"), // the platform already sent it to the customer
                Optional("Date", ubl.IssueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                Optional("DueDate", ubl.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                Optional("Currency", ubl.DocumentCurrencyCode),
                Optional("Remarks", credit && ubl.BillingReferenceIds.Count > 0 && ubl.BillingReferenceIds[0] is { } original ? $"Credits invoice {original}" : null),
                Contact(customer, contactCode),
                new XElement(Ns + "InvoiceLines", lines)));
    }

    /// <summary>Reads the import response, whether it came as XML elements or as escaped text (see <see cref="YukiSoapClient.ResultDocument"/>).</summary>
    public static (IReadOnlyList<YukiInvoiceOutcome> Invoices, int? TotalSucceeded, int? TotalFailed) ReadResponse(XElement? response)
    {
        if (response is null)
        {
            return ([], null, null);
        }

        var invoices = response.DescendantsAndSelf()
            .Where(e => e.Name.LocalName == "Invoice")
            .Select(e => new YukiInvoiceOutcome(
                IsTrue(Child(e, "Succeeded")),
                Child(e, "Reference"),
                Child(e, "Message")))
            .ToList();
        return (invoices, Number(response, "TotalSucceeded"), Number(response, "TotalFailed"));
    }

    /// <summary>
    /// Quantity and unit price whose product is exactly the UBL line amount (line allowances are inside it). When
    /// the amount does not divide evenly, the line is booked as quantity 1 at the line amount.
    /// </summary>
    private static (decimal Quantity, decimal Price) QuantityAndPrice(decimal? quantity, decimal lineAmount)
    {
        if (quantity is { } q && q != 0m)
        {
            var price = Math.Round(lineAmount / q, 4, MidpointRounding.AwayFromZero);
            if (price * q == lineAmount)
            {
                // A negative UBL quantity (a return line) keeps its sign on the quantity, not on the price.
                return (q, price);
            }
        }

        return (1m, lineAmount);
    }

    private static XElement Line(string description, decimal quantity, decimal price, decimal? vatPercent, string glAccount) =>
        new(
            Ns + "InvoiceLine",
            new XElement(Ns + "Description", description),
            new XElement(Ns + "ProductQuantity", Format(quantity)),
            new XElement(
                Ns + "Product",
                new XElement(Ns + "Description", description),
                new XElement(Ns + "SalesPrice", Format(price)),
                new XElement(Ns + "VATPercentage", Format(vatPercent ?? 0m)),
                new XElement(Ns + "VATIncluded", "false"),
                new XElement(Ns + "GLAccountCode", glAccount)));

    /// <summary>Yuki matches the contact by <c>ContactCode</c> when given (the synced contact Koppel matched), else by name and address, else creates it.</summary>
    private static XElement Contact(UblParty? party, string? contactCode)
    {
        var address = party?.PostalAddress;
        var name = party?.LegalName ?? party?.TradingName ?? "Unknown customer";
        return new XElement(
            Ns + "Contact",
            Optional("ContactCode", contactCode),
            new XElement(Ns + "FullName", name),
            Optional("CountryCode", address?.CountryCode),
            Optional("City", address?.CityName),
            Optional("Zipcode", address?.PostalZone),
            Optional("AddressLine_1", address?.StreetName),
            Optional("AddressLine_2", address?.AdditionalStreetName),
            Optional("CoCNumber", party?.BelgianEnterpriseNumber),
            Optional("VATNumber", party?.VatNumber),
            new XElement(Ns + "ContactType", "Company"));
    }

    private static XElement? Optional(string name, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : new XElement(Ns + name, value.Trim());

    private static string Format(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string? Child(XElement element, string name) =>
        element.Elements().FirstOrDefault(c => c.Name.LocalName == name)?.Value.Trim();

    private static int? Number(XElement element, string name) =>
        element.DescendantsAndSelf().FirstOrDefault(e => e.Name.LocalName == name) is { } found
        && int.TryParse(found.Value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static bool IsTrue(string? value) => value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");
}
