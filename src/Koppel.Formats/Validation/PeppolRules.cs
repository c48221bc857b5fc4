using System.Globalization;
using Koppel.Formats.Findings;
using Koppel.Formats.Ubl;
using static Koppel.Formats.Validation.RuleMath;

namespace Koppel.Formats.Validation;

/// <summary>
/// The Peppol BIS Billing 3.0 rules, with their official ids: the core rules here, identifier, national, type-code and
/// currency rules in PeppolIdentifierRules, PeppolNationalRules, PeppolTypeCodeRules and PeppolCurrencyRules.
/// The empty-element rule R008 and the date format F001 judge the XML as written (<see cref="UblSyntax"/>).
/// Not implemented yet (docs/formats-ubl.md): most country rules (DK-, IT-, GR-, DE- …, PEPPOL-COMMON-R041/R042/R044),
/// R006/R080 and the code list rules other than CL007/CL008.
/// </summary>
public static class PeppolRules
{
    public const string LayerName = "PEPPOL-BIS3";

    public const string ProfilePrefix = "urn:fdc:peppol.eu:2017:poacc:billing:";

    public static ValidationLayerResult Validate(UblDocument document) =>
        RuleLayer.Run(LayerName, document, CheckSyntax, CheckDocument, CheckParties, CheckAllowanceCharges, CheckLines, CheckLinePeriods, CheckPayment, CheckIdentifiers, PeppolIdentifierRules.Check, PeppolNationalRules.Check, PeppolTypeCodeRules.Check, PeppolCurrencyRules.Check, PeppolCodeListRules.Check);

    /// <summary>PEPPOL-COMMON-R043 alone: the UBL.BE layer applies it as well.</summary>
    internal static void CheckIdentifiers(RuleFindings f)
    {
        var d = f.Document;
        var parties = new (UblParty? Party, string Path)[]
        {
            (d.Supplier, "cac:AccountingSupplierParty/cac:Party"),
            (d.Customer, "cac:AccountingCustomerParty/cac:Party"),
            (d.Payee, "cac:PayeeParty"),
            (d.TaxRepresentative, "cac:TaxRepresentativeParty"),
        };
        foreach (var (party, path) in parties)
        {
            if (party is null)
            {
                continue;
            }

            CheckEnterpriseNumber(f, party.Endpoint, f.Path(path + "/cbc:EndpointID"));
            CheckEnterpriseNumber(f, party.CompanyId, f.Path(path + "/cac:PartyLegalEntity/cbc:CompanyID"));
            foreach (var id in party.Identifiers)
            {
                CheckEnterpriseNumber(f, id, f.Path(path + "/cac:PartyIdentification/cbc:ID"));
            }
        }
    }

    private static void CheckEnterpriseNumber(RuleFindings f, UblIdentifier? id, string at)
    {
        if (id?.SchemeId == "0208")
        {
            f.Check(BelgianEnterpriseNumber.IsValid(id.Value), "PEPPOL-COMMON-R043", $"Belgian enterprise number '{id.Value}' (scheme 0208) shall be 10 digits with a valid mod-97 check.", at);
        }
    }

    /// <summary>
    /// R008: no element without a child element or text (//*[not(*) and not(normalize-space())], the root and
    /// extensions included). F001: IssueDate, DueDate, TaxPointDate, StartDate, EndDate and ActualDeliveryDate,
    /// wherever they are, written as exactly ten characters that make a date: "2018-08-30Z" and " 2018-08-30" fail.
    /// </summary>
    private static void CheckSyntax(RuleFindings f)
    {
        var syntax = f.Document.Syntax;
        foreach (var empty in syntax.EmptyElements)
        {
            f.Add("PEPPOL-EN16931-R008", FindingSeverity.Fatal, $"Document MUST not contain empty elements: {empty.Element} is empty.", empty.Location);
        }

        foreach (var date in syntax.BadDateFormats)
        {
            f.Add("PEPPOL-EN16931-F001", FindingSeverity.Fatal, $"A date MUST be formatted YYYY-MM-DD: {date.Element} is '{date.Text}'.", date.Location);
        }
    }

    private static void CheckDocument(RuleFindings f)
    {
        var d = f.Document;
        var root = f.Root;
        f.Check(d.ProfileId is not null, "PEPPOL-EN16931-R001", "Business process (ProfileID) MUST be provided.", root);
        f.Check(IsPeppolProcess(d.ProfileId), "PEPPOL-EN16931-R007", $"Business process MUST be in the format '{ProfilePrefix}NN:1.0'.", root);
        f.Check(d.BuyerReference is not null || d.OrderReference is not null, "PEPPOL-EN16931-R003", "A buyer reference or purchase order reference MUST be provided.", root);
        f.Check(
            d.CustomizationId?.Trim().StartsWith(UblProfiles.PeppolBis3CustomizationId, StringComparison.Ordinal) == true,
            "PEPPOL-EN16931-R004",
            $"Specification identifier MUST have the value '{UblProfiles.PeppolBis3CustomizationId}'.",
            root);
        if (d.Kind == UblDocumentKind.CreditNote)
        {
            f.Check(d.AdditionalDocumentReferences.Count(r => r.TypeCode == "50") <= 1, "PEPPOL-EN16931-R080", "Only one project reference (a document reference with type code 50) is allowed on document level.", root);
        }

        f.Check(d.TaxTotals.Count(t => t.Subtotals.Count > 0) == 1, "PEPPOL-EN16931-R053", "Only one tax total with tax subtotals MUST be provided.", root);
        f.Check(
            d.TaxTotals.Count(t => t.Subtotals.Count == 0) == (d.TaxCurrencyCode is null ? 0 : 1),
            "PEPPOL-EN16931-R054",
            "Only one tax total without tax subtotals MUST be provided when tax currency code is provided.",
            root);
        if (d.TaxCurrencyCode is { } taxCurrency)
        {
            f.Check(taxCurrency != d.DocumentCurrencyCode, "PEPPOL-EN16931-R005", "VAT accounting currency code MUST be different from invoice currency code when provided.", f.Path("cbc:TaxCurrencyCode"));
            f.Check(SameSign(d, taxCurrency), "PEPPOL-EN16931-R055", "Invoice total VAT amount and Invoice total VAT amount in accounting currency MUST have the same operational sign.", root);
        }

        var bothGerman = d.Supplier?.CountryCode == "DE" && d.Customer?.CountryCode == "DE";
        f.Check(d.NoteCount <= 1 || bothGerman, "PEPPOL-EN16931-R002", "No more than one note is allowed on document level, unless both the buyer and seller are German organizations.", root);
    }

    private static bool SameSign(UblDocument d, string taxCurrency)
    {
        var inTaxCurrency = d.TaxTotals.Where(t => t.TaxAmount?.CurrencyId == taxCurrency).Select(t => t.TaxAmount!.Value).ToList();
        var inDocumentCurrency = d.TaxTotals.Where(t => t.TaxAmount?.CurrencyId == d.DocumentCurrencyCode).Select(t => t.TaxAmount!.Value).ToList();
        return (inTaxCurrency.Any(v => v <= 0) && inDocumentCurrency.Any(v => v <= 0)) || (inTaxCurrency.Any(v => v >= 0) && inDocumentCurrency.Any(v => v >= 0));
    }

    private static void CheckPayment(RuleFindings f)
    {
        var means = f.Document.PaymentMeans;
        for (var i = 0; i < means.Count; i++)
        {
            if (means[i].Code is "49" or "59")
            {
                f.Check(!RuleMath.IsBlank(means[i].MandateId), "PEPPOL-EN16931-R061", "Mandate reference MUST be provided for direct debit.", f.Path($"cac:PaymentMeans[{i + 1}]"));
            }
        }
    }

    private static void CheckLinePeriods(RuleFindings f)
    {
        var period = f.Document.InvoicePeriod;
        if (period is null)
        {
            return;
        }

        foreach (var line in f.Document.Lines)
        {
            // As the artefact: a line date written blank (or unreadable) compares as nothing, which fails.
            if (line.InvoicePeriod is { HasStartDate: true } linePeriod && period.HasStartDate)
            {
                f.CheckLine(linePeriod.StartDate >= period.StartDate, "PEPPOL-EN16931-R110", "Start date of line period MUST be within invoice period.", line, "/cac:InvoicePeriod/cbc:StartDate");
            }

            if (line.InvoicePeriod is { HasEndDate: true } lineEnd && period.HasEndDate)
            {
                f.CheckLine(lineEnd.EndDate <= period.EndDate, "PEPPOL-EN16931-R111", "End date of line period MUST be within invoice period.", line, "/cac:InvoicePeriod/cbc:EndDate");
            }
        }
    }

    // The official test is a regular expression match (not anchored): billing:NN:1.0 anywhere in the ProfileID.
    private static bool IsPeppolProcess(string? profileId)
    {
        if (profileId is null)
        {
            return false;
        }

        var at = profileId.IndexOf(ProfilePrefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        var rest = profileId.AsSpan(at + ProfilePrefix.Length);
        return rest.Length >= 6 && char.IsAsciiDigit(rest[0]) && char.IsAsciiDigit(rest[1]) && rest[2] == ':' && rest[3] == '1' && rest[5] == '0';
    }

    private static void CheckParties(RuleFindings f)
    {
        var d = f.Document;
        if (d.Customer is { } customer)
        {
            f.Check(customer.Endpoint is not null, "PEPPOL-EN16931-R010", "Buyer electronic address MUST be provided.", f.Path("cac:AccountingCustomerParty/cac:Party"));
        }

        if (d.Supplier is { } supplier)
        {
            f.Check(supplier.Endpoint is not null, "PEPPOL-EN16931-R020", "Seller electronic address MUST be provided.", f.Path("cac:AccountingSupplierParty/cac:Party"));
        }
    }

    private static void CheckAllowanceCharges(RuleFindings f)
    {
        var d = f.Document;
        var all = d.AllowanceCharges.Select((ac, i) => (ac, f.Path($"cac:AllowanceCharge[{i + 1}]")))
            .Concat(d.Lines.SelectMany(l => l.AllowanceCharges.Select((ac, i) => (ac, $"{f.Line(l)}/cac:AllowanceCharge[{i + 1}]"))));
        foreach (var (ac, at) in all)
        {
            f.Check(ac.ChargeIndicatorText is "true" or "false", "PEPPOL-EN16931-R043", $"Allowance/charge ChargeIndicator value MUST equal 'true' or 'false' (found '{ac.ChargeIndicatorText}').", at + "/cbc:ChargeIndicator");
            if (ac.MultiplierFactor is { } percent && ac.BaseAmount is { } baseAmount)
            {
                var expected = baseAmount.Value * percent / 100m;
                f.Check(Math.Abs((ac.Amount?.Value ?? 0m) - expected) <= 0.02m, "PEPPOL-EN16931-R040", "Allowance/charge amount must equal base amount * percentage/100 if base amount and percentage exists.", at);
            }

            f.Check(!(ac.MultiplierFactor is not null && ac.BaseAmount is null), "PEPPOL-EN16931-R041", "Allowance/charge base amount MUST be provided when allowance/charge percentage is provided.", at);
            f.Check(!(ac.MultiplierFactor is null && ac.BaseAmount is not null), "PEPPOL-EN16931-R042", "Allowance/charge percentage MUST be provided when allowance/charge base amount is provided.", at);
        }
    }

    private static void CheckLines(RuleFindings f)
    {
        foreach (var line in f.Document.Lines)
        {
            CheckLineNetAmount(f, line);
            f.CheckLine(line.Price?.BaseQuantity is null || line.Price.BaseQuantity.Value > 0, "PEPPOL-EN16931-R121", "Base quantity MUST be a positive number above zero.", line, "/cac:Price/cbc:BaseQuantity");
            f.CheckLine(line.DocumentReferences.Count <= 1, "PEPPOL-EN16931-R100", "Only one invoiced object is allowed per line.", line);
            f.CheckLine(
                line.DocumentReferences.Count == 0 || line.DocumentReferences.Any(r => r.TypeCode == "130"),
                "PEPPOL-EN16931-R101",
                "Element Document reference can only be used for Invoice line object (DocumentTypeCode 130).",
                line,
                "/cac:DocumentReference");

            if (line.Price?.BaseQuantity?.UnitCode is { } baseUnit && line.Quantity is not null)
            {
                f.CheckLine(baseUnit == line.Quantity.UnitCode, "PEPPOL-EN16931-R130", "Unit code of price base quantity MUST be same as invoiced quantity.", line, "/cac:Price/cbc:BaseQuantity");
            }

            var priceAllowances = line.Price?.AllowanceCharges ?? [];
            for (var i = 0; i < priceAllowances.Count; i++)
            {
                var pa = priceAllowances[i];
                var paAt = $"{f.Line(line)}/cac:Price/cac:AllowanceCharge[{i + 1}]";
                f.Check(pa.ChargeIndicatorText == "false", "PEPPOL-EN16931-R044", "Charge on price level is NOT allowed. Only value 'false' allowed.", paAt);
                f.Check(
                    pa.BaseAmount is null || (line.Price!.Amount is not null && pa.Amount is not null && line.Price.Amount.Value == pa.BaseAmount.Value - pa.Amount.Value),
                    "PEPPOL-EN16931-R046",
                    "Item net price MUST equal (Gross price - Allowance amount) when gross price is provided.",
                    paAt);
            }
        }
    }

    /// <summary>
    /// PEPPOL-EN16931-R120: net = quantity × price ÷ base quantity + charges − allowances, within 0.02.
    /// As in the official rule, a missing quantity or base quantity counts as 1 and a missing price or net amount as 0.
    /// </summary>
    private static void CheckLineNetAmount(RuleFindings f, UblLine line)
    {
        var net = line.LineExtensionAmount?.Value ?? 0m;
        var quantity = line.Quantity?.Value ?? 1m;
        var price = line.Price?.Amount?.Value ?? 0m;
        var baseQuantity = line.Price?.BaseQuantity is { Value: not 0 } bq ? bq.Value : 1m;
        var allowances = Round2(line.AllowanceCharges.Where(a => a.ChargeIndicatorText == "false").Sum(a => a.Amount?.Value ?? 0m));
        var charges = Round2(line.AllowanceCharges.Where(a => a.ChargeIndicatorText == "true").Sum(a => a.Amount?.Value ?? 0m));
        var expected = (quantity * (price / baseQuantity)) + charges - allowances;
        if (Math.Abs(net - expected) > 0.02m)
        {
            f.Add(
                "PEPPOL-EN16931-R120",
                FindingSeverity.Fatal,
                string.Create(CultureInfo.InvariantCulture, $"Invoice line net amount {net} MUST equal quantity × price / base quantity + charges − allowances = {expected:0.####}."),
                f.Line(line) + "/cbc:LineExtensionAmount");
        }
    }
}
