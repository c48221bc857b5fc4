using System.Text.RegularExpressions;
using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>
/// Dutch, Swedish and Norwegian supplier rules of the Peppol BIS 3 artefacts (2025.11) that decide a verdict on ordinary
/// invoices: NL-R-001…009 but 005 (addresses, legal entity id, invoice reference on credit notes, payment means, order
/// reference), SE-R-005/006 (F-skatt text, standard rates) and NO-R-001 (a Norwegian VAT number is NO + 9 digits with a
/// mod-11 check digit + MVA). The supplier's country is found as the artefact finds it:
/// the first two letters of the supplier's VAT number, else the tax representative's, else the postal address.
/// </summary>
internal static partial class PeppolNationalRules
{
    public static void Check(RuleFindings f)
    {
        var d = f.Document;
        if (d.Supplier is not { } supplier)
        {
            return;
        }

        if (string.Equals(supplier.CountryCode, "NL", StringComparison.OrdinalIgnoreCase) && supplier.CompanyId is { } companyId)
        {
            var schemes = (companyId.SchemeId ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            f.Check(
                (schemes.Contains("0106") || schemes.Contains("0190")) && companyId.Value.Trim().Length > 0,
                "NL-R-003",
                "For suppliers in the Netherlands, the legal entity identifier MUST be either a KVK or OIN number (schemeID 0106 or 0190).",
                f.Path("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID"));
        }

        if (string.Equals(supplier.CountryCode?.Trim(), "NL", StringComparison.OrdinalIgnoreCase) && d.Kind == UblDocumentKind.CreditNote && d.TypeCode is not null)
        {
            f.Check(d.BillingReferenceIds.Any(id => id is not null), "NL-R-001", "For suppliers in the Netherlands, if the document is a creditnote, the document MUST contain an invoice reference (cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID).", f.Path("cbc:CreditNoteTypeCode"));
        }

        // SE-R-006: a Swedish supplier (address in SE and a VAT number starting with SE) may use category S only at 25, 12 or 6 %.
        if (supplier.CountryCode == "SE" && supplier.TaxSchemes.Any(t => t.TaxSchemeId == "VAT" && t.CompanyId?.StartsWith("SE", StringComparison.Ordinal) == true))
        {
            var categories = d.TaxTotals.SelectMany(t => t.Subtotals).Select(s => s.Category)
                .Concat(d.AllowanceCharges.Concat(d.Lines.SelectMany(l => l.AllowanceCharges)).Select(a => a.TaxCategory))
                .Concat(d.Lines.Select(l => l.TaxCategory))
                .OfType<UblTaxCategory>();
            foreach (var category in categories.Where(c => c.Id == "S"))
            {
                f.Check(category.Percent is 25m or 12m or 6m, "SE-R-006", $"For Swedish suppliers, only standard VAT rate of 6, 12 or 25 are used (found {category.Percent}).", "//cac:TaxCategory/cbc:Percent");
            }
        }

        if (string.Equals(supplier.CountryCode?.Trim(), "NL", StringComparison.OrdinalIgnoreCase) && string.Equals(d.Customer?.CountryCode?.Trim(), "NL", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var means in d.PaymentMeans)
            {
                f.Check(means.Code is "30" or "48" or "49" or "57" or "58" or "59", "NL-R-008", "For suppliers in the Netherlands, the payment means code (cac:PaymentMeans/cbc:PaymentMeansCode) MUST be one of 30, 48, 49, 57, 58 or 59.", f.Path("cac:PaymentMeans/cbc:PaymentMeansCode"));
            }
        }

        if (string.Equals(supplier.CountryCode?.Trim(), "NL", StringComparison.OrdinalIgnoreCase))
        {
            // NL-R-002/004/006: street, city and post code written in the supplier's address, and in the buyer's and the
            // tax representative's when those are Dutch too.
            static bool Complete(UblAddress a) => a.StreetName is not null && a.CityName is not null && a.PostalZone is not null;
            const string AddressMessage = "For suppliers in the Netherlands the {0} address (cac:PostalAddress) MUST contain street name (cbc:StreetName), city (cbc:CityName) and post code (cbc:PostalZone).";
            if (supplier.PostalAddress is { } supplierAddress)
            {
                f.Check(Complete(supplierAddress), "NL-R-002", string.Format(System.Globalization.CultureInfo.InvariantCulture, AddressMessage, "supplier's"), f.Path("cac:AccountingSupplierParty/cac:Party/cac:PostalAddress"));
            }

            if (d.Customer?.PostalAddress is { } customerAddress && string.Equals(customerAddress.CountryCode?.Trim(), "NL", StringComparison.OrdinalIgnoreCase))
            {
                f.Check(Complete(customerAddress), "NL-R-004", string.Format(System.Globalization.CultureInfo.InvariantCulture, AddressMessage, "customer's"), f.Path("cac:AccountingCustomerParty/cac:Party/cac:PostalAddress"));
            }

            if (d.TaxRepresentative?.PostalAddress is { } representativeAddress && string.Equals(representativeAddress.CountryCode?.Trim(), "NL", StringComparison.OrdinalIgnoreCase))
            {
                f.Check(Complete(representativeAddress), "NL-R-006", string.Format(System.Globalization.CultureInfo.InvariantCulture, AddressMessage, "tax representative's"), f.Path("cac:TaxRepresentativeParty/cac:PostalAddress"));
            }

            if (d.Totals is { } totals)
            {
                var payable = totals.PayableAmount?.Value;
                var nothingToPay = d.Kind == UblDocumentKind.Invoice ? payable <= 0 : payable >= 0;
                f.Check(nothingToPay || d.PaymentMeans.Count > 0, "NL-R-007", "For suppliers in the Netherlands, the supplier MUST provide a means of payment (cac:PaymentMeans) if the payment is from customer to supplier.", f.Path("cac:LegalMonetaryTotal"));
            }

            if (d.Lines.Any(l => l.HasOrderLineId))
            {
                f.Check(d.OrderReference is not null, "NL-R-009", "For suppliers in the Netherlands, if an order line reference is used, there MUST be an order reference on the document level.", f.Path("cac:OrderReference"));
            }
        }

        // SE-R-005: a Swedish supplier with a legal registration number states its non-VAT tax registration as "Godkänd för F-skatt".
        if (supplier.CountryCode == "SE" && supplier.CompanyId is not null)
        {
            foreach (var scheme in supplier.TaxSchemes.Where(t => t.CompanyId is not null && !string.Equals(t.TaxSchemeId?.Trim(), "VAT", StringComparison.OrdinalIgnoreCase)))
            {
                var value = string.Join(' ', scheme.CompanyId!.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
                f.Check(value == "GODKÄND FÖR F-SKATT", "SE-R-005", "For Swedish suppliers, the text 'Godkänd för F-skatt' MUST be used to indicate that the seller is approved for F-tax.", f.Path("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"));
            }
        }

        if (SupplierCountry(d) == "NO")
        {
            var vat = VatNumber(supplier);
            var holds = vat is null || !vat.StartsWith("NO", StringComparison.Ordinal)
                || (NorwegianVatNumber().IsMatch(vat[2..]) && Mod11(vat.Substring(2, 9)));
            f.Check(holds, "NO-R-001", "For Norwegian suppliers, a VAT number MUST be the country code prefix NO followed by a valid Norwegian organization number (nine numbers) followed by the letters MVA.", f.Path("cac:AccountingSupplierParty/cac:Party"));
        }
    }

    private static string? VatNumber(UblParty? party) => party?.TaxSchemes.FirstOrDefault(t => t.IsVat)?.CompanyId;

    private static string SupplierCountry(UblDocument d)
    {
        foreach (var vat in new[] { VatNumber(d.Supplier), VatNumber(d.TaxRepresentative) })
        {
            if (!string.IsNullOrEmpty(vat))
            {
                return vat[..Math.Min(2, vat.Length)].Trim().ToUpperInvariant();
            }
        }

        return d.Supplier?.CountryCode is { } country ? country.Trim().ToUpperInvariant() : "XX";
    }

    /// <summary>The artefact's u:mod11 on a nine-digit organisation number: weights 2..7 from the right over the first eight digits.</summary>
    private static bool Mod11(string value)
    {
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            sum += (value[7 - i] - '0') * ((i % 6) + 2);
        }

        return long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) > 0 && (11 - (sum % 11)) % 11 == value[8] - '0';
    }

    [GeneratedRegex("^[0-9]{9}MVA$")]
    private static partial Regex NorwegianVatNumber();
}
