using Koppel.Formats.Findings;
using Koppel.Formats.Ubl;
using static Koppel.Formats.Validation.RuleMath;

namespace Koppel.Formats.Validation;

/// <summary>EN 16931 rules on the document as a whole, its parties, references and payment (BR-01 … BR-67, BR-CO-*).</summary>
internal static class En16931DocumentRules
{
    public static void Check(RuleFindings f)
    {
        var d = f.Document;
        var root = f.Root;
        f.Check(!IsBlank(d.CustomizationId), "BR-01", "An invoice shall have a specification identifier (BT-24, CustomizationID).", root);
        f.Check(!IsBlank(d.Number), "BR-02", "An invoice shall have an invoice number (BT-1).", root);
        // A date written but unreadable ("30/08/2018") is there for BR-03 (normalize-space(cbc:IssueDate) != ''); UBL-DATE reports it.
        f.Check(d.IssueDate is not null || d.Syntax.HasUnreadable("IssueDate", blankToo: false), "BR-03", "An invoice shall have an issue date (BT-2).", root);
        f.Check(!IsBlank(d.TypeCode), "BR-04", "An invoice shall have an invoice type code (BT-3).", root);
        f.Check(!IsBlank(d.DocumentCurrencyCode), "BR-05", "An invoice shall have an invoice currency code (BT-5).", root);
        f.Check(!IsBlank(d.Supplier?.LegalName), "BR-06", "An invoice shall contain the seller's legal name (BT-27, PartyLegalEntity/RegistrationName).", root);
        f.Check(!IsBlank(d.Customer?.LegalName), "BR-07", "An invoice shall contain the buyer's legal name (BT-44, PartyLegalEntity/RegistrationName).", root);
        f.Check(d.Supplier?.PostalAddress is not null, "BR-08", "An invoice shall contain the seller's postal address (BG-5).", root);
        f.Check(d.Customer?.PostalAddress is not null, "BR-10", "An invoice shall contain the buyer's postal address (BG-8).", root);
        f.Check(d.Lines.Count > 0, "BR-16", "An invoice shall have at least one invoice line (BG-25).", root);

        if (d.TaxCurrencyCode is { } taxCurrency)
        {
            f.Check(
                d.TaxTotals.Any(t => t.TaxAmount?.CurrencyId == d.TaxCurrencyCodeAsWritten),
                "BR-53",
                $"The VAT accounting currency {taxCurrency} is given (BT-6), so the total VAT in that currency (BT-111) shall be provided.",
                root);
        }

        f.Check(d.PaymentMeans.Sum(p => p.CardAccountCount) <= 1, "BR-66", "An invoice shall contain at most one payment card account (BG-18).", root);
        f.Check(d.PaymentMeans.Sum(p => p.MandateCount) <= 1, "BR-67", "An invoice shall contain at most one payment mandate (BG-19).", root);
        f.Check(
            d.TaxPointDate is null || d.InvoicePeriod?.DescriptionCode is null,
            "BR-CO-03",
            "The VAT point date (BT-7) and the VAT point date code (BT-8) are mutually exclusive.",
            root);
        f.Check(d.TaxTotals.Any(t => t.Subtotals.Count > 0), "BR-CO-18", "An invoice shall have at least one VAT breakdown group (BG-23).", root);

        CheckPayableNeedsDueDate(f);
        CheckParties(f);
        CheckReferences(f);
        CheckPeriods(f);
        CheckPaymentMeans(f);
    }

    private static void CheckPayableNeedsDueDate(RuleFindings f)
    {
        var d = f.Document;
        if (d.Kind != UblDocumentKind.Invoice || d.Totals?.PayableAmount is not { } payable || payable.Value <= 0)
        {
            return;
        }

        f.Check(
            d.DueDate is not null || d.Syntax.HasUnreadable("DueDate", blankToo: true) || d.PaymentTermsNotes.Any(n => n is not null),
            "BR-CO-25",
            $"The amount due ({payable.Value}) is positive, so a payment due date (BT-9) or payment terms (BT-20) shall be present.",
            f.Path("cac:LegalMonetaryTotal/cbc:PayableAmount"));
    }

    private static void CheckParties(RuleFindings f)
    {
        var d = f.Document;
        if (d.Supplier is null && d.HasAccountingSupplierParty)
        {
            f.Add("BR-CO-26", FindingSeverity.Fatal, "The seller shall be identified by a VAT number (BT-31), a seller identifier (BT-29) or a legal registration identifier (BT-30).", f.Path("cac:AccountingSupplierParty"));
        }

        if (d.Supplier is { } supplier)
        {
            var at = f.Path("cac:AccountingSupplierParty/cac:Party");
            f.Check(
                supplier.TaxSchemes.Any(t => t.IsVat && t.CompanyId is not null) || supplier.Identifiers.Count > 0 || supplier.CompanyId is not null,
                "BR-CO-26",
                "The seller shall be identified by a VAT number (BT-31), a seller identifier (BT-29) or a legal registration identifier (BT-30).",
                at);
            f.Check(supplier.Endpoint is null || supplier.Endpoint.SchemeId is not null, "BR-62", "The seller's electronic address (BT-34) shall have a scheme identifier.", at + "/cbc:EndpointID");
            if (supplier.PostalAddress is { } address)
            {
                f.Check(!IsBlank(address.CountryCode), "BR-09", "The seller's postal address shall contain a country code (BT-40).", at + "/cac:PostalAddress");
            }
        }

        if (d.Customer is { } customer)
        {
            var at = f.Path("cac:AccountingCustomerParty/cac:Party");
            f.Check(customer.Endpoint is null || customer.Endpoint.SchemeId is not null, "BR-63", "The buyer's electronic address (BT-49) shall have a scheme identifier.", at + "/cbc:EndpointID");
            if (customer.PostalAddress is { } address)
            {
                f.Check(!IsBlank(address.CountryCode), "BR-11", "The buyer's postal address shall contain a country code (BT-55).", at + "/cac:PostalAddress");
            }
        }

        if (d.Payee is { } payee)
        {
            var sameName = payee.TradingName is not null && payee.TradingName == d.Supplier?.TradingName;
            var sameId = payee.Identifiers.Any(p => d.Supplier?.Identifiers.Any(s => s.Value == p.Value) == true);
            f.Check(
                payee.TradingName is not null && !sameName && !sameId,
                "BR-17",
                "The payee name (BT-59) shall be provided when the payee (BG-10) differs from the seller.",
                f.Path("cac:PayeeParty"));
        }

        if (d.TaxRepresentative is { } representative)
        {
            var at = f.Path("cac:TaxRepresentativeParty");
            f.Check(!IsBlank(representative.TradingName), "BR-18", "The seller's tax representative name (BT-62) shall be provided.", at);
            f.Check(representative.PostalAddress is not null, "BR-19", "The seller's tax representative postal address (BG-12) shall be provided.", at);
            f.Check(representative.TaxSchemes.Any(t => t.IsVat && t.CompanyId is not null), "BR-56", "The seller's tax representative VAT identifier (BT-63) shall be provided.", at);
            if (representative.PostalAddress is { } address)
            {
                f.Check(!IsBlank(address.CountryCode), "BR-20", "The tax representative's postal address shall contain a country code (BT-69).", at + "/cac:PostalAddress");
            }
        }

        if (d.Delivery?.LocationAddress is { } deliveryAddress)
        {
            f.Check(deliveryAddress.CountryCode is not null, "BR-57", "Each deliver-to address (BG-15) shall contain a country code (BT-80).", f.Path("cac:Delivery/cac:DeliveryLocation/cac:Address"));
        }

        CheckVatNumberPrefixes(f, d.Supplier, "cac:AccountingSupplierParty/cac:Party");
        CheckVatNumberPrefixes(f, d.Customer, "cac:AccountingCustomerParty/cac:Party");
        CheckVatNumberPrefixes(f, d.TaxRepresentative, "cac:TaxRepresentativeParty");
    }

    private static void CheckVatNumberPrefixes(RuleFindings f, UblParty? party, string path)
    {
        if (party is null)
        {
            return;
        }

        foreach (var scheme in party.TaxSchemes.Where(t => t.IsVat))
        {
            // As written: a CompanyID starting with whitespace has no country prefix for the artefact.
            var id = scheme.CompanyIdAsWritten ?? scheme.CompanyId ?? string.Empty;
            var prefix = id.Length >= 2 ? id[..2] : id;

            // The rule is a substring test against the list written ' 1A AD AE … ', kept as specified: an id shorter than two
            // characters slips through, and so does one starting with a space and a letter some code starts with (" BE…").
            var known = prefix.Length switch
            {
                2 when prefix[0] == ' ' => CenCodeLists.VatPrefixes.Any(p => p[0] == prefix[1]),
                2 when prefix[1] == ' ' => CenCodeLists.VatPrefixes.Any(p => p[^1] == prefix[0]),
                2 => CenCodeLists.VatPrefixes.Contains(prefix),
                _ => CenCodeLists.VatPrefixes.Any(p => p.Contains(prefix, StringComparison.Ordinal)),
            };
            f.Check(known, "BR-CO-09", $"The VAT identifier '{id}' shall start with an ISO 3166-1 country prefix (Greece: EL).", f.Path(path + "/cac:PartyTaxScheme/cbc:CompanyID"));
        }
    }

    private static void CheckReferences(RuleFindings f)
    {
        var d = f.Document;
        for (var i = 0; i < d.AdditionalDocumentReferences.Count; i++)
        {
            f.Check(
                !IsBlank(d.AdditionalDocumentReferences[i].Id),
                "BR-52",
                "Each additional supporting document (BG-24) shall contain a document reference (BT-122).",
                f.Path($"cac:AdditionalDocumentReference[{i + 1}]"));
        }

        for (var i = 0; i < d.BillingReferenceIds.Count; i++)
        {
            f.Check(d.BillingReferenceIds[i] is not null, "BR-55", "Each preceding invoice reference (BG-3) shall contain the preceding invoice number (BT-25).", f.Path($"cac:BillingReference[{i + 1}]"));
        }
    }

    private static void CheckPeriods(RuleFindings f)
    {
        var d = f.Document;
        if (d.InvoicePeriod is { } period)
        {
            var at = f.Path("cac:InvoicePeriod");
            f.Check(period.StartDate is null || period.EndDate is null || period.EndDate >= period.StartDate, "BR-29", "The invoicing period end date (BT-74) shall be on or after its start date (BT-73).", at);
            f.Check(period.StartDate is not null || period.EndDate is not null || period.DescriptionCode is not null, "BR-CO-19", "An invoicing period (BG-14) shall have a start date, an end date, or both.", at);
        }

        foreach (var line in d.Lines)
        {
            if (line.InvoicePeriod is { } linePeriod)
            {
                var at = f.Line(line) + "/cac:InvoicePeriod";
                f.Check(linePeriod.StartDate is null || linePeriod.EndDate is null || linePeriod.EndDate >= linePeriod.StartDate, "BR-30", "The line period end date (BT-135) shall be on or after its start date (BT-134).", at);
                f.Check(linePeriod.StartDate is not null || linePeriod.EndDate is not null, "BR-CO-20", "A line period (BG-26) shall have a start date, an end date, or both.", at);
            }
        }
    }

    private static void CheckPaymentMeans(RuleFindings f)
    {
        var means = f.Document.PaymentMeans;
        for (var i = 0; i < means.Count; i++)
        {
            var m = means[i];
            var at = f.Path($"cac:PaymentMeans[{i + 1}]");
            var isCreditTransfer = m.Code is "30" or "58";
            f.Check(m.Code is not null, "BR-49", "A payment instruction (BG-16) shall specify the payment means type code (BT-81).", at);
            f.Check(!isCreditTransfer || m.AccountId is not null, "BR-61", "For a credit transfer (code 30 or 58) the payment account identifier (BT-84) shall be present.", at);
            if (isCreditTransfer && m.HasPayeeFinancialAccount)
            {
                f.Check(!IsBlank(m.AccountId), "BR-50", "The payment account identifier (BT-84) shall be present for a credit transfer.", at + "/cac:PayeeFinancialAccount");
            }
        }
    }
}
