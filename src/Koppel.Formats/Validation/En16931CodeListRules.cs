using Koppel.Formats.Findings;
using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>
/// The EN 16931 code list rules (BR-CL-01…26), with the lists generated from the CEN artefact (CenCodeLists.g.cs;
/// BR-CL-04/05 use the BR-CL-03 list, BR-CL-11/21/26 the BR-CL-10 list, BR-CL-15 the BR-CL-14 list and BR-CL-18 the
/// BR-CL-17 list, as the artefact does). Values are compared as the artefact does: normalize-space(), case as written.
/// </summary>
internal static class En16931CodeListRules
{
    public static void Check(RuleFindings f)
    {
        var d = f.Document;
        if (d.TypeCode is { } type)
        {
            var list = d.Kind == UblDocumentKind.Invoice ? CenCodeLists.InvoiceTypeCodes : CenCodeLists.CreditNoteTypeCodes;
            f.Check(list.Contains(type), "BR-CL-01", $"The document type code '{type}' is not in the UNTDID 1001 subset allowed for this document.", f.Path(d.Kind == UblDocumentKind.Invoice ? "cbc:InvoiceTypeCode" : "cbc:CreditNoteTypeCode"));
        }

        foreach (var use in d.AmountCurrencies)
        {
            // As the artefact: normalize-space(@currencyID), so " EUR" passes here (PEPPOL-EN16931-CL007 compares it as written).
            f.Check(CenCodeLists.Currencies.Contains(use.CurrencyId.Trim()), "BR-CL-03", $"currencyID '{use.CurrencyId}' is not an ISO 4217 currency code.", $"//cbc:{use.ElementName}/@currencyID");
        }

        if (d.DocumentCurrencyCode is { } currency)
        {
            f.Check(CenCodeLists.Currencies.Contains(currency), "BR-CL-04", $"The invoice currency '{currency}' is not an ISO 4217 code.", f.Path("cbc:DocumentCurrencyCode"));
        }

        if (d.TaxCurrencyCode is { } taxCurrency)
        {
            f.Check(CenCodeLists.Currencies.Contains(taxCurrency), "BR-CL-05", $"The VAT accounting currency '{taxCurrency}' is not an ISO 4217 code.", f.Path("cbc:TaxCurrencyCode"));
        }

        if (d.InvoicePeriod?.DescriptionCode is { } pointCode)
        {
            f.Check(pointCode is "3" or "35" or "432", "BR-CL-06", $"The VAT point date code '{pointCode}' is not in the UNTDID 2005 subset (3, 35, 432).", f.Path("cac:InvoicePeriod/cbc:DescriptionCode"));
        }

        CheckParties(f);
        CheckItems(f);
        CheckPaymentMeans(f);
        CheckTaxCategories(f);
        CheckAllowanceReasons(f);
        CheckAttachments(f);
    }

    private static void CheckParties(RuleFindings f)
    {
        var d = f.Document;
        var parties = new (UblParty? Party, string Path, bool MaySepa)[]
        {
            (d.Supplier, "cac:AccountingSupplierParty/cac:Party", true),
            (d.Customer, "cac:AccountingCustomerParty/cac:Party", false),
            (d.Payee, "cac:PayeeParty", true),
            (d.TaxRepresentative, "cac:TaxRepresentativeParty", false),
        };
        foreach (var (party, path, maySepa) in parties)
        {
            if (party is null)
            {
                continue;
            }

            if (party.PostalAddress?.CountryCode is { } country)
            {
                f.Check(CenCodeLists.Countries.Contains(country), "BR-CL-14", $"Country code '{country}' is not ISO 3166-1 alpha-2.", f.Path(path + "/cac:PostalAddress/cac:Country/cbc:IdentificationCode"));
            }

            if (party.Endpoint?.SchemeId is { } endpointScheme)
            {
                f.Check(CenCodeLists.EndpointSchemes.Contains(endpointScheme.Trim()), "BR-CL-25", $"Electronic address scheme '{endpointScheme}' is not in the EAS code list.", f.Path(path + "/cbc:EndpointID/@schemeID"));
            }

            foreach (var id in party.Identifiers.Where(i => i.SchemeId is not null))
            {
                // SEPA creditor identifiers are allowed as party identification for the seller and the payee only.
                f.Check(CenCodeLists.IdentifierSchemes.Contains(id.SchemeId!.Trim()) || (maySepa && CenCodeLists.SellerOrPayeeIdentifierSchemes.Contains(id.SchemeId!.Trim())), "BR-CL-10", $"Identifier scheme '{id.SchemeId}' is not an ISO 6523 ICD.", f.Path(path + "/cac:PartyIdentification/cbc:ID/@schemeID"));
            }

            if (party.CompanyId?.SchemeId is { } legalScheme)
            {
                f.Check(CenCodeLists.IdentifierSchemes.Contains(legalScheme.Trim()), "BR-CL-11", $"Legal registration scheme '{legalScheme}' is not an ISO 6523 ICD.", f.Path(path + "/cac:PartyLegalEntity/cbc:CompanyID/@schemeID"));
            }
        }

        if (d.Delivery?.LocationAddress?.CountryCode is { } deliveryCountry)
        {
            f.Check(CenCodeLists.Countries.Contains(deliveryCountry), "BR-CL-14", $"Country code '{deliveryCountry}' is not ISO 3166-1 alpha-2.", f.Path("cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode"));
        }
    }

    private static void CheckItems(RuleFindings f)
    {
        var d = f.Document;
        var references = d.AdditionalDocumentReferences.Concat(d.Lines.SelectMany(l => l.DocumentReferences));
        foreach (var reference in references.Where(r => r.TypeCode == "130" && r.IdSchemeId is not null))
        {
            f.Check(CenCodeLists.ReferenceSchemes.Contains(reference.IdSchemeId!.Trim()), "BR-CL-07", $"Object identifier scheme '{reference.IdSchemeId}' is not in UNTDID 1153.", "//cac:AdditionalDocumentReference/cbc:ID/@schemeID");
        }

        foreach (var line in d.Lines)
        {
            foreach (var list in line.ClassificationListIds)
            {
                f.CheckLine(CenCodeLists.ItemClassificationSchemes.Contains(list.Trim()), "BR-CL-13", $"Item classification scheme '{list}' is not in UNTDID 7143.", line, "/cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode/@listID");
            }

            if (line.OriginCountry is { } origin)
            {
                f.CheckLine(CenCodeLists.Countries.Contains(origin), "BR-CL-15", $"Item country of origin '{origin}' is not ISO 3166-1 alpha-2.", line, "/cac:Item/cac:OriginCountry/cbc:IdentificationCode");
            }

            foreach (var scheme in line.StandardIdentifierSchemes)
            {
                f.CheckLine(CenCodeLists.IdentifierSchemes.Contains(scheme.Trim()), "BR-CL-21", $"Item standard identifier scheme '{scheme}' is not an ISO 6523 ICD.", line, "/cac:Item/cac:StandardItemIdentification/cbc:ID/@schemeID");
            }

            foreach (var unit in new[] { line.Quantity?.UnitCode, line.Price?.BaseQuantity?.UnitCode }.OfType<string>())
            {
                f.CheckLine(CenCodeLists.UnitCodes.Contains(unit.Trim()), "BR-CL-23", $"Unit code '{unit}' is not in UN/ECE Recommendation 20 or 21.", line);
            }
        }

        foreach (var scheme in d.Delivery?.LocationIdSchemes ?? [])
        {
            f.Check(CenCodeLists.IdentifierSchemes.Contains(scheme.Trim()), "BR-CL-26", $"Delivery location identifier scheme '{scheme}' is not an ISO 6523 ICD.", f.Path("cac:Delivery/cac:DeliveryLocation/cbc:ID/@schemeID"));
        }
    }

    private static void CheckPaymentMeans(RuleFindings f)
    {
        var means = f.Document.PaymentMeans;
        for (var i = 0; i < means.Count; i++)
        {
            if (means[i].Code is { } code)
            {
                f.Check(CenCodeLists.PaymentMeansCodes.Contains(code), "BR-CL-16", $"Payment means code '{code}' is not in UNTDID 4461.", f.Path($"cac:PaymentMeans[{i + 1}]/cbc:PaymentMeansCode"));
            }
        }
    }

    private static void CheckTaxCategories(RuleFindings f)
    {
        var d = f.Document;
        var documentCategories = d.TaxTotals.SelectMany(t => t.Subtotals).Select(s => s.Category)
            .Concat(d.AllowanceCharges.Select(a => a.TaxCategory))
            .OfType<UblTaxCategory>();
        foreach (var c in documentCategories)
        {
            CheckCategory(f, c, "BR-CL-17", () => "//cac:TaxCategory/cbc:ID");
        }

        foreach (var line in d.Lines)
        {
            if (line.TaxCategory is { } c)
            {
                CheckCategory(f, c, "BR-CL-18", () => f.Line(line) + "/cac:Item/cac:ClassifiedTaxCategory/cbc:ID");
            }
        }
    }

    // The location is built only for a failing category: lines are many, failures few.
    private static void CheckCategory(RuleFindings f, UblTaxCategory c, string rule, Func<string> location)
    {
        if (c.Id is not null && !CenCodeLists.VatCategoryCodes.Contains(c.Id))
        {
            f.Add(rule, FindingSeverity.Fatal, $"VAT category '{c.Id}' is not in the UNCL 5305 subset (S, Z, E, AE, K, G, O, L, M, B).", location());
        }

        if (c.ExemptionReasonCode is { } code && !CenCodeLists.ExemptionReasonCodes.Contains(code.ToUpperInvariant()))
        {
            f.Add("BR-CL-22", FindingSeverity.Fatal, $"VAT exemption reason code '{code}' is not in the VATEX code list.", location());
        }
    }

    private static void CheckAllowanceReasons(RuleFindings f)
    {
        var d = f.Document;
        var all = d.AllowanceCharges.Concat(d.Lines.SelectMany(l => l.AllowanceCharges)).Concat(d.Lines.SelectMany(l => l.Price?.AllowanceCharges ?? []));
        foreach (var ac in all)
        {
            if (ac.ReasonCode is not { } code)
            {
                continue;
            }

            if (ac.IsCharge == false)
            {
                f.Check(CenCodeLists.AllowanceReasonCodes.Contains(code), "BR-CL-19", $"Allowance reason code '{code}' is not in UNTDID 5189.", "//cac:AllowanceCharge/cbc:AllowanceChargeReasonCode");
            }
            else if (ac.IsCharge == true)
            {
                f.Check(CenCodeLists.ChargeReasonCodes.Contains(code), "BR-CL-20", $"Charge reason code '{code}' is not in UNTDID 7161.", "//cac:AllowanceCharge/cbc:AllowanceChargeReasonCode");
            }
        }
    }

    private static void CheckAttachments(RuleFindings f)
    {
        var refs = f.Document.AdditionalDocumentReferences;
        for (var i = 0; i < refs.Count; i++)
        {
            if (refs[i].Attachment?.MimeCode is { } mime)
            {
                f.Check(CenCodeLists.MimeCodes.Contains(mime), "BR-CL-24", $"Attachment MIME type '{mime}' is not one EN 16931 allows.", f.Path($"cac:AdditionalDocumentReference[{i + 1}]/cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"));
            }
        }
    }
}
