using Koppel.Formats.Findings;
using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>
/// EN 16931 rules per VAT category (BR-S-*, BR-Z-*, BR-E-*, BR-AE-*, BR-IC-* for K, BR-G-*, BR-O-*, BR-B-*):
/// a category used on a line or allowance needs its breakdown, the right rate, the right seller/buyer
/// VAT identifiers, and a breakdown that adds up. Categories L (IGIC, Canary Islands) and M (IPSI, Ceuta and
/// Melilla) follow S (BR-AF-*, BR-AG-*): one breakdown per rate, any rate of zero or more.
/// </summary>
internal static class En16931VatCategoryRules
{
    /// <summary>How a category behaves; the rule id prefix differs from the code for K (BR-IC) only.</summary>
    private sealed record Category(string Code, string Prefix, string Label, RateRule Rate, bool NeedsExemptionReason);

    private enum RateRule
    {
        Positive,
        NonNegative,
        Zero,
        Absent,
    }

    private static readonly Category[] Categories =
    [
        new("S", "BR-S", "Standard rated", RateRule.Positive, NeedsExemptionReason: false),
        new("Z", "BR-Z", "Zero rated", RateRule.Zero, NeedsExemptionReason: false),
        new("E", "BR-E", "Exempt from VAT", RateRule.Zero, NeedsExemptionReason: true),
        new("AE", "BR-AE", "Reverse charge", RateRule.Zero, NeedsExemptionReason: true),
        new("K", "BR-IC", "Intra-community supply", RateRule.Zero, NeedsExemptionReason: true),
        new("G", "BR-G", "Export outside the EU", RateRule.Zero, NeedsExemptionReason: true),
        new("O", "BR-O", "Not subject to VAT", RateRule.Absent, NeedsExemptionReason: true),
        new("L", "BR-AF", "IGIC, Canary Islands", RateRule.NonNegative, NeedsExemptionReason: false),
        new("M", "BR-AG", "IPSI, Ceuta and Melilla", RateRule.NonNegative, NeedsExemptionReason: false),
    ];

    public static void Check(RuleFindings f)
    {
        foreach (var category in Categories)
        {
            CheckBreakdownPresence(f, category);
            CheckIdentifiers(f, category);
            CheckRates(f, category);
            CheckBreakdowns(f, category);
        }

        CheckNotSubjectIsAlone(f);
        CheckIntraCommunityDelivery(f);
        CheckSplitPayment(f);
    }

    private static IEnumerable<UblTaxCategory> LineCategories(UblDocument d) =>
        d.Lines.Select(l => l.TaxCategory).OfType<UblTaxCategory>();

    private static IEnumerable<UblAllowanceCharge> AllAllowanceCharges(UblDocument d) =>
        d.AllowanceCharges.Concat(d.Lines.SelectMany(l => l.AllowanceCharges));

    private static bool Is(UblTaxCategory? c, string code) => c is not null && c.IsVat && c.Code == code;

    private static void CheckBreakdownPresence(RuleFindings f, Category cat)
    {
        var d = f.Document;
        var breakdowns = d.TaxTotals.SelectMany(t => t.Subtotals).Count(s => Is(s.Category, cat.Code));
        var used = LineCategories(d).Any(c => Is(c, cat.Code)) || AllAllowanceCharges(d).Any(a => Is(a.TaxCategory, cat.Code));
        if (cat.Code == "S")
        {
            // BR-S-01 asks for "at least one" standard-rated breakdown (there is one per rate); the others for exactly one.
            // Unlike every other category rule, the artefact's BR-S-01 does not look at the TaxScheme: nor does this.
            var anyScheme = d.TaxTotals.SelectMany(t => t.Subtotals).Any(s => s.Category?.Code == "S");
            var usedAnyScheme = LineCategories(d).Any(c => c.Code == "S") || AllAllowanceCharges(d).Any(a => a.TaxCategory?.Code == "S");
            f.Check(usedAnyScheme == anyScheme, "BR-S-01", "Standard rated lines, allowances or charges need at least one VAT breakdown with category S, and S breakdowns need S lines.", f.Root);
            return;
        }

        if (cat.Rate == RateRule.NonNegative)
        {
            // BR-AF-01 / BR-AG-01: like S, at least one breakdown (one per rate) when lines, allowances or charges use the category.
            f.Check(used == (breakdowns > 0), cat.Prefix + "-01", $"Lines, allowances or charges with VAT category {cat.Code} ({cat.Label}) need at least one VAT breakdown with that category, and such breakdowns need such lines.", f.Root);
            return;
        }

        var mentioned = used || breakdowns > 0;
        f.Check(!mentioned || breakdowns == 1, cat.Prefix + "-01", $"An invoice using VAT category {cat.Code} ({cat.Label}) shall have exactly one VAT breakdown for it (found {breakdowns}).", f.Root);
    }

    private static void CheckIdentifiers(RuleFindings f, Category cat)
    {
        var d = f.Document;
        var supplierAnyTaxId = d.Supplier?.TaxSchemes.Any(t => t.CompanyId is not null) == true;
        var supplierVat = d.Supplier?.TaxSchemes.Any(t => t.IsVat && t.CompanyId is not null) == true;
        var representativeVat = d.TaxRepresentative?.TaxSchemes.Any(t => t.IsVat && t.CompanyId is not null) == true;
        var customerVat = d.Customer?.TaxSchemes.Any(t => t.IsVat && t.CompanyId is not null) == true;
        var customerLegalId = d.Customer?.CompanyId is not null;

        var holds = cat.Code switch
        {
            "S" or "Z" or "E" or "L" or "M" => supplierAnyTaxId || representativeVat,
            "AE" => (supplierAnyTaxId || representativeVat) && (customerVat || customerLegalId),
            "K" => (supplierVat || representativeVat) && customerVat,
            "G" => supplierVat || representativeVat,
            _ => !supplierVat && !representativeVat && !customerVat, // O: nobody may show a VAT identifier
        };
        var need = cat.Code == "O"
            ? "the seller, the tax representative and the buyer shall not have VAT identifiers"
            : "the seller (or tax representative) VAT identifier" + (cat.Code is "AE" or "K" ? " and the buyer's VAT identifier" : string.Empty) + " shall be present";

        if (LineCategories(d).Any(c => Is(c, cat.Code)))
        {
            f.Check(holds, cat.Prefix + "-02", $"Lines with VAT category {cat.Code} ({cat.Label}): {need}.", f.Root);
        }
        else if (cat.Code == "S" && LineCategories(d).Any(c => c.Code == "S"))
        {
            // The artefact's BR-S-02 ends in "or not(exists(S lines))" without the TaxScheme test of its first part:
            // S lines none of which is in the VAT scheme fail it. Koppel does the same.
            f.Add("BR-S-02", FindingSeverity.Fatal, $"Lines with VAT category S ({cat.Label}) shall be in the VAT tax scheme, and {need}.", f.Root);
        }

        if (d.AllowanceCharges.Any(a => a.IsCharge == false && Is(a.TaxCategory, cat.Code)))
        {
            f.Check(holds, cat.Prefix + "-03", $"Document allowances with VAT category {cat.Code} ({cat.Label}): {need}.", f.Root);
        }

        if (d.AllowanceCharges.Any(a => a.IsCharge == true && Is(a.TaxCategory, cat.Code)))
        {
            f.Check(holds, cat.Prefix + "-04", $"Document charges with VAT category {cat.Code} ({cat.Label}): {need}.", f.Root);
        }
    }

    private static void CheckRates(RuleFindings f, Category cat)
    {
        var d = f.Document;
        foreach (var line in d.Lines)
        {
            if (Is(line.TaxCategory, cat.Code) && !RateOk(line.TaxCategory!, cat.Rate))
            {
                f.Add(cat.Prefix + "-05", FindingSeverity.Fatal, RateMessage(cat, "invoice line"), f.Line(line) + "/cac:Item/cac:ClassifiedTaxCategory");
            }
        }

        for (var i = 0; i < d.AllowanceCharges.Count; i++)
        {
            var ac = d.AllowanceCharges[i];
            if (ac.IsCharge is not { } isCharge || !Is(ac.TaxCategory, cat.Code))
            {
                continue;
            }

            var rule = cat.Prefix + (isCharge ? "-07" : "-06");
            f.Check(RateOk(ac.TaxCategory!, cat.Rate), rule, RateMessage(cat, isCharge ? "document charge" : "document allowance"), f.Path($"cac:AllowanceCharge[{i + 1}]/cac:TaxCategory"));
        }
    }

    private static bool RateOk(UblTaxCategory c, RateRule rule) => rule switch
    {
        RateRule.Positive => c.Percent > 0,
        RateRule.NonNegative => c.Percent >= 0,
        RateRule.Zero => c.Percent == 0,
        _ => c.Percent is null,
    };

    private static string RateMessage(Category cat, string where) => cat.Rate switch
    {
        RateRule.Positive => $"A {where} with VAT category {cat.Code} ({cat.Label}) shall have a VAT rate above zero.",
        RateRule.NonNegative => $"A {where} with VAT category {cat.Code} ({cat.Label}) shall have a VAT rate of zero or more.",
        RateRule.Zero => $"A {where} with VAT category {cat.Code} ({cat.Label}) shall have a VAT rate of 0.",
        _ => $"A {where} with VAT category {cat.Code} ({cat.Label}) shall not have a VAT rate.",
    };

    private static void CheckBreakdowns(RuleFindings f, Category cat)
    {
        var d = f.Document;
        for (var t = 0; t < d.TaxTotals.Count; t++)
        {
            var subtotals = d.TaxTotals[t].Subtotals;
            for (var s = 0; s < subtotals.Count; s++)
            {
                var subtotal = subtotals[s];
                if (!Is(subtotal.Category, cat.Code))
                {
                    continue;
                }

                var at = f.Path($"cac:TaxTotal[{t + 1}]/cac:TaxSubtotal[{s + 1}]");
                CheckBreakdownAmounts(f, cat, subtotal, at);
                var hasReason = subtotal.Category!.ExemptionReason is not null || subtotal.Category.ExemptionReasonCode is not null;
                f.Check(
                    hasReason == cat.NeedsExemptionReason,
                    cat.Prefix + "-10",
                    cat.NeedsExemptionReason
                        ? $"A VAT breakdown with category {cat.Code} ({cat.Label}) shall have an exemption reason code (BT-121) or text (BT-120)."
                        : $"A VAT breakdown with category {cat.Code} ({cat.Label}) shall not have an exemption reason.",
                    at + "/cac:TaxCategory");
            }
        }
    }

    private static void CheckBreakdownAmounts(RuleFindings f, Category cat, UblTaxSubtotal subtotal, string at)
    {
        var d = f.Document;
        var taxable = subtotal.TaxableAmount?.Value;
        if (cat.Code == "S")
        {
            // One S breakdown per rate: its base is the lines and allowances/charges at that rate, give or take 1.
            if (subtotal.Category!.Percent is { } rate)
            {
                var expected = BaseFor(d, cat.Code, rate);
                var linesUsed = d.Lines.Any(l => HasRate(l.TaxCategory, cat.Code, rate));
                var allowancesUsed = AllAllowanceCharges(d).Any(a => HasRate(a.TaxCategory, cat.Code, rate));

                // The artefact's test has an invoice branch and a credit note branch joined by "or" without brackets
                // around the second: on any document, the other kind's branch holds when an allowance or charge uses the
                // rate and the breakdown equals the document allowances and charges alone. Koppel does the same.
                var allowancesOnly = BaseFor(d, cat.Code, rate, withLines: false);
                var holds = taxable is not null
                    && (((linesUsed || allowancesUsed) && taxable - 1 < expected && taxable + 1 > expected)
                        || (allowancesUsed && taxable - 1 < allowancesOnly && taxable + 1 > allowancesOnly));
                f.Check(
                    holds,
                    "BR-S-08",
                    $"The taxable amount at {rate}% ({taxable}) shall equal the lines plus charges minus allowances at that rate ({expected}).",
                    at + "/cbc:TaxableAmount");
            }

            f.Check(VatWithinOne(subtotal), "BR-S-09", "The VAT amount of a standard rated breakdown shall be its taxable amount times its rate.", at + "/cbc:TaxAmount");
            return;
        }

        if (cat.Rate == RateRule.NonNegative)
        {
            // BR-AF-08 / BR-AG-08: per rate, the lines plus charges minus allowances at that rate, give or take 1 (no rate: nothing to compare).
            if (subtotal.Category!.Percent is { } rate)
            {
                var expected = BaseFor(d, cat.Code, rate);
                f.Check(
                    d.Lines.Count > 0 && taxable is not null && taxable - 1 < expected && taxable + 1 > expected,
                    cat.Prefix + "-08",
                    $"The taxable amount for VAT category {cat.Code} at {rate}% ({taxable}) shall equal the lines plus charges minus allowances at that rate ({expected}).",
                    at + "/cbc:TaxableAmount");
            }

            f.Check(VatWithinOne(subtotal), cat.Prefix + "-09", $"The VAT amount of a VAT breakdown with category {cat.Code} ({cat.Label}) shall be its taxable amount times its rate.", at + "/cbc:TaxAmount");
            return;
        }

        var categoryBase = BaseFor(d, cat.Code, rate: null);
        f.Check(
            d.Lines.Count > 0 && taxable == categoryBase,
            cat.Prefix + "-08",
            $"The taxable amount for VAT category {cat.Code} ({taxable}) shall equal the lines plus charges minus allowances in that category ({categoryBase}).",
            at + "/cbc:TaxableAmount");
        f.Check(subtotal.TaxAmount?.Value == 0, cat.Prefix + "-09", $"The VAT amount of a VAT breakdown with category {cat.Code} ({cat.Label}) shall be 0.", at + "/cbc:TaxAmount");
    }

    // The official test matches lines and allowances on the category code alone (no TaxScheme check), so this does too.
    private static bool HasRate(UblTaxCategory? c, string code, decimal? rate) => c?.Code == code && (rate is null || c.Percent == rate);

    private static decimal BaseFor(UblDocument d, string code, decimal? rate, bool withLines = true) =>
        (withLines ? d.Lines.Where(l => HasRate(l.TaxCategory, code, rate)).Sum(l => l.LineExtensionAmount?.Value ?? 0m) : 0m)
        + d.AllowanceCharges.Where(a => a.IsCharge == true && HasRate(a.TaxCategory, code, rate)).Sum(a => a.Amount?.Value ?? 0m)
        - d.AllowanceCharges.Where(a => a.IsCharge == false && HasRate(a.TaxCategory, code, rate)).Sum(a => a.Amount?.Value ?? 0m);

    private static bool VatWithinOne(UblTaxSubtotal s)
    {
        if (s.TaxAmount is null || s.TaxableAmount is null || s.Category?.Percent is not { } rate)
        {
            return false;
        }

        var expected = RuleMath.Round2(Math.Abs(s.TaxableAmount.Value) * (rate / 100m));
        var tax = Math.Abs(s.TaxAmount.Value);
        return tax - 1 < expected && tax + 1 > expected;
    }

    private static void CheckNotSubjectIsAlone(RuleFindings f)
    {
        var d = f.Document;
        var breakdowns = d.TaxTotals.SelectMany(t => t.Subtotals).ToList();
        if (!breakdowns.Any(s => Is(s.Category, "O")))
        {
            return;
        }

        f.Check(!breakdowns.Any(s => s.Category is { IsVat: true } c && c.Code != "O"), "BR-O-11", "An invoice with a 'Not subject to VAT' breakdown shall not have other VAT breakdowns.", f.Root);
        f.Check(!LineCategories(d).Any(c => c.IsVat && c.Code != "O"), "BR-O-12", "An invoice with a 'Not subject to VAT' breakdown shall not have lines in another VAT category.", f.Root);
        f.Check(!AllAllowanceCharges(d).Any(a => a.IsCharge == false && a.TaxCategory is { IsVat: true } c && c.Code != "O"), "BR-O-13", "An invoice with a 'Not subject to VAT' breakdown shall not have allowances in another VAT category.", f.Root);
        f.Check(!AllAllowanceCharges(d).Any(a => a.IsCharge == true && a.TaxCategory is { IsVat: true } c && c.Code != "O"), "BR-O-14", "An invoice with a 'Not subject to VAT' breakdown shall not have charges in another VAT category.", f.Root);
    }

    private static void CheckIntraCommunityDelivery(RuleFindings f)
    {
        var d = f.Document;
        if (!d.TaxTotals.SelectMany(t => t.Subtotals).Any(s => Is(s.Category, "K")))
        {
            return;
        }

        var period = d.InvoicePeriod;
        var hasDeliveryDate = d.Delivery?.ActualDeliveryDate is not null || (period is not null && (period.StartDate ?? period.EndDate) is not null || period?.DescriptionCode is not null);
        f.Check(hasDeliveryDate, "BR-IC-11", "An intra-community supply shall state the actual delivery date (BT-72) or the invoicing period (BG-14).", f.Root);
        f.Check((d.Delivery?.LocationAddress?.CountryCode?.Length ?? 0) > 1, "BR-IC-12", "An intra-community supply shall state the deliver-to country code (BT-80).", f.Root);
    }

    private static void CheckSplitPayment(RuleFindings f)
    {
        var d = f.Document;
        var usesSplitPayment = d.TaxTotals.SelectMany(t => t.Subtotals).Any(s => s.Category?.Code == "B")
            || d.AllowanceCharges.Any(a => a.TaxCategory?.Code == "B")
            || LineCategories(d).Any(c => c.Code == "B");
        if (!usesSplitPayment)
        {
            return;
        }

        var countries = new[] { d.Supplier?.CountryCode, d.Customer?.CountryCode, d.TaxRepresentative?.CountryCode, d.Delivery?.LocationAddress?.CountryCode };
        f.Check(countries.All(c => c is null || c == "IT"), "BR-B-01", "Split payment (VAT category B) is only for Italian domestic invoices.", f.Root);
        var usesStandard = d.AllowanceCharges.Any(a => a.TaxCategory?.Code == "S") || LineCategories(d).Any(c => c.Code == "S");
        f.Check(!usesStandard, "BR-B-02", "An invoice with split payment (VAT category B) shall not also use the standard rate category S.", f.Root);
    }
}
