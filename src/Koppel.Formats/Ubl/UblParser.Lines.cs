namespace Koppel.Formats.Ubl;

/// <summary>Lines, prices, allowances and charges, VAT categories, VAT totals and monetary totals.</summary>
internal sealed partial class UblParser
{
    private UblLine ReadLine(int position)
    {
        string? id = null, itemName = null;
        UblQuantity? quantity = null;
        UblAmount? lineAmount = null;
        UblTaxCategory? category = null;
        UblPrice? price = null;
        UblPeriod? period = null;
        var allowanceCharges = new List<UblAllowanceCharge>();
        var references = new List<UblDocumentReference>();
        var taxTotals = 0;
        var classifiedTaxCategories = 0;
        var classificationListIds = new List<string>();
        var incompleteProperties = 0;
        bool quantityWritten = false, quantityUnitWritten = false, hasOrderLineId = false;
        var standardIdSchemes = new List<string>();
        string? originCountry = null;
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "ID": id = Text(); break;
                case "InvoicedQuantity" or "CreditedQuantity":
                    quantityUnitWritten = xml.GetAttribute("unitCode") is not null;
                    quantityWritten = true;
                    quantity = Quantity();
                    break;
                case "LineExtensionAmount": lineAmount = Amount(); break;
                case "InvoicePeriod": period = ReadPeriod(); break;
                case "DocumentReference": references.Add(ReadDocumentReference()); break;
                case "AllowanceCharge": allowanceCharges.Add(ReadAllowanceCharge()); break;
                case "OrderLineReference": hasOrderLineId |= ReadFirstText("LineID") is not null; break;
                case "TaxTotal": taxTotals++; Skip(); break;
                case "Item":
                    for (var innerDepth = Enter(); NextChild(innerDepth);)
                    {
                        switch (xml.LocalName)
                        {
                            case "Name": itemName = Text(); break;
                            case "ClassifiedTaxCategory": classifiedTaxCategories++; category = ReadTaxCategory(); break;
                            case "CommodityClassification": ReadAttributesOf("ItemClassificationCode", "listID", classificationListIds); break;
                            case "StandardItemIdentification": ReadAttributesOf("ID", "schemeID", standardIdSchemes); break;
                            case "OriginCountry": originCountry = ReadFirstText("IdentificationCode"); break;
                            case "AdditionalItemProperty": incompleteProperties += ReadItemPropertyIsComplete() ? 0 : 1; break;
                            default: Skip(); break;
                        }
                    }
                    break;
                case "Price": price = ReadPrice(); break;
                default: Skip(); break;
            }
        }

        return new UblLine
        {
            Position = position,
            Id = id,
            Quantity = quantity,
            LineExtensionAmount = lineAmount,
            ItemName = itemName,
            TaxCategory = category,
            Price = price,
            AllowanceCharges = allowanceCharges,
            InvoicePeriod = period,
            DocumentReferences = references,
            TaxTotalCount = taxTotals,
            ClassifiedTaxCategoryCount = classifiedTaxCategories,
            ClassificationListIds = classificationListIds,
            StandardIdentifierSchemes = standardIdSchemes,
            OriginCountry = originCountry,
            IncompleteItemPropertyCount = incompleteProperties,
            HasQuantity = quantityWritten,
            HasOrderLineId = hasOrderLineId,
            HasQuantityUnitCode = quantityUnitWritten,
        };
    }

    /// <summary>BR-54: an item attribute has both a Name and a Value element.</summary>
    private bool ReadItemPropertyIsComplete()
    {
        bool name = false, value = false;
        for (var depth = Enter(); NextChild(depth);)
        {
            name |= xml.LocalName == "Name";
            value |= xml.LocalName == "Value";
            Skip();
        }

        return name && value;
    }

    private UblPrice ReadPrice()
    {
        UblAmount? amount = null;
        UblQuantity? baseQuantity = null;
        var allowances = new List<UblAllowanceCharge>();
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "PriceAmount": amount = Amount(); break;
                case "BaseQuantity": baseQuantity = Quantity(); break;
                case "AllowanceCharge":
                    _inPriceAllowanceCharge = true;
                    allowances.Add(ReadAllowanceCharge());
                    _inPriceAllowanceCharge = false;
                    break;
                default: Skip(); break;
            }
        }

        return new UblPrice(amount, baseQuantity, allowances);
    }

    private UblAllowanceCharge ReadAllowanceCharge()
    {
        string? indicator = null, written = null, reasonCode = null, reason = null;
        bool? isCharge = null;
        var hasAmount = false;
        UblAmount? amount = null, baseAmount = null;
        decimal? multiplier = null;
        UblTaxCategory? category = null;
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "ChargeIndicator":
                    var (line, position) = Here();
                    written = Leaf();
                    indicator = written.Trim();
                    isCharge = ParseBoolean(indicator, line, position);
                    break;
                case "AllowanceChargeReasonCode": reasonCode = Text(); break;
                case "AllowanceChargeReason": reason = FirstOf(reason, Text()); break;
                case "MultiplierFactorNumeric": multiplier = Number(); break;
                case "Amount": hasAmount = true; amount = Amount(); break;
                case "BaseAmount": baseAmount = Amount(); break;
                case "TaxCategory": category = ReadTaxCategory(); break;
                default: Skip(); break;
            }
        }

        return new UblAllowanceCharge
        {
            ChargeIndicatorText = indicator,
            ChargeIndicatorAsWritten = written,
            HasAmount = hasAmount,
            IsCharge = isCharge,
            Amount = amount,
            BaseAmount = baseAmount,
            MultiplierFactor = multiplier,
            ReasonCode = reasonCode,
            Reason = reason,
            TaxCategory = category,
        };
    }

    private UblTaxCategory ReadTaxCategory()
    {
        string? id = null, exemptionCode = null, exemption = null, name = null, scheme = null;
        decimal? percent = null;
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "ID": id = Text(); break;
                case "Name": name = Text(); break;
                case "Percent": percent = Number(); break;
                case "TaxExemptionReasonCode": exemptionCode = Text(); break;
                case "TaxExemptionReason": exemption = FirstOf(exemption, Text()); break;
                case "TaxScheme": scheme = ReadFirstId(); break;
                default: Skip(); break;
            }
        }

        return new UblTaxCategory(id, percent, exemptionCode, exemption, name, scheme);
    }

    private UblTaxTotal ReadTaxTotal()
    {
        UblAmount? taxAmount = null;
        var subtotals = new List<UblTaxSubtotal>();
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "TaxAmount": taxAmount = Amount(); break;
                case "TaxSubtotal":
                    UblAmount? taxable = null, tax = null;
                    UblTaxCategory? category = null;
                    for (var innerDepth = Enter(); NextChild(innerDepth);)
                    {
                        switch (xml.LocalName)
                        {
                            case "TaxableAmount": taxable = Amount(); break;
                            case "TaxAmount": tax = Amount(); break;
                            case "TaxCategory": category = ReadTaxCategory(); break;
                            default: Skip(); break;
                        }
                    }
                    subtotals.Add(new UblTaxSubtotal(taxable, tax, category));
                    break;
                default: Skip(); break;
            }
        }

        return new UblTaxTotal(taxAmount, subtotals);
    }

    private UblMonetaryTotal ReadMonetaryTotal()
    {
        var totals = new UblMonetaryTotal();
        for (var depth = Enter(); NextChild(depth);)
        {
            var name = xml.LocalName;
            totals = name switch
            {
                "LineExtensionAmount" => totals with { LineExtensionAmount = Amount() },
                "TaxExclusiveAmount" => totals with { TaxExclusiveAmount = Amount() },
                "TaxInclusiveAmount" => totals with { TaxInclusiveAmount = Amount() },
                "AllowanceTotalAmount" => totals with { AllowanceTotalAmount = Amount() },
                "ChargeTotalAmount" => totals with { ChargeTotalAmount = Amount() },
                "PrepaidAmount" => totals with { PrepaidAmount = Amount() },
                "PayableRoundingAmount" => totals with { PayableRoundingAmount = Amount() },
                "PayableAmount" => totals with { PayableAmount = Amount() },
                _ => SkipAndKeep(totals),
            };
        }

        return totals;
    }
}
