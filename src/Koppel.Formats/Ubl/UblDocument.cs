namespace Koppel.Formats.Ubl;

/// <summary>Whether the root element is an Invoice or a CreditNote.</summary>
public enum UblDocumentKind
{
    Invoice,
    CreditNote,
}

/// <summary>The rule set a document claims to follow, derived from its CustomizationID.</summary>
public enum UblProfile
{
    Unknown,
    PeppolBis3,
    UblBe,
    XRechnung,
    OtherEn16931,
}

/// <summary>
/// One UBL 2.1 Invoice or CreditNote as written in the file. Every value is nullable because
/// the reader reports what is there and leaves judging what is missing to the validator.
/// Amounts are the document's own figures, never recomputed.
/// </summary>
public sealed record UblDocument
{
    public required UblDocumentKind Kind { get; init; }

    public string? CustomizationId { get; init; }

    public string? ProfileId { get; init; }

    public UblProfile Profile { get; init; }

    public string? Number { get; init; }

    public DateOnly? IssueDate { get; init; }

    public DateOnly? DueDate { get; init; }

    /// <summary>InvoiceTypeCode or CreditNoteTypeCode, e.g. 380 or 381.</summary>
    public string? TypeCode { get; init; }

    public int NoteCount { get; init; }

    public DateOnly? TaxPointDate { get; init; }

    public string? DocumentCurrencyCode { get; init; }

    public string? TaxCurrencyCode { get; init; }

    public string? BuyerReference { get; init; }

    public string? OrderReference { get; init; }

    public UblPeriod? InvoicePeriod { get; init; }

    public IReadOnlyList<string?> BillingReferenceIds { get; init; } = [];

    public IReadOnlyList<UblDocumentReference> AdditionalDocumentReferences { get; init; } = [];

    public UblParty? Supplier { get; init; }

    public UblParty? Customer { get; init; }

    public UblParty? Payee { get; init; }

    public UblParty? TaxRepresentative { get; init; }

    public UblDelivery? Delivery { get; init; }

    public IReadOnlyList<UblPaymentMeans> PaymentMeans { get; init; } = [];

    public IReadOnlyList<string?> PaymentTermsNotes { get; init; } = [];

    public IReadOnlyList<UblAllowanceCharge> AllowanceCharges { get; init; } = [];

    public IReadOnlyList<UblTaxTotal> TaxTotals { get; init; } = [];

    public UblMonetaryTotal? Totals { get; init; }

    /// <summary>An AccountingSupplierParty element is written (with or without its Party: BR-CO-26 judges it).</summary>
    public bool HasAccountingSupplierParty { get; init; }

    /// <summary>Every PaymentMeans/PaymentID as written, untrimmed (UBL-SR-44 counts distinct values as written).</summary>
    public IReadOnlyList<string> PaymentIdsAsWritten { get; init; } = [];

    /// <summary>Every PaymentMeans/PaymentMeansCode as written, untrimmed (UBL-SR-47).</summary>
    public IReadOnlyList<string> PaymentMeansCodesAsWritten { get; init; } = [];

    /// <summary>DocumentCurrencyCode untrimmed: BR-CO-15 and PEPPOL-EN16931-R051 compare currencyIDs with it as written.</summary>
    public string? DocumentCurrencyCodeAsWritten { get; init; }

    /// <summary>TaxCurrencyCode untrimmed (BR-53 looks for a TaxAmount whose currencyID equals it as written).</summary>
    public string? TaxCurrencyCodeAsWritten { get; init; }

    public IReadOnlyList<UblLine> Lines { get; init; } = [];

    /// <summary>What the reader saw of the XML itself that the model does not hold, for the syntax rules.</summary>
    public UblSyntax Syntax { get; init; } = UblSyntax.None;

    /// <summary>Every currencyID attribute written on an amount, with where it was seen first ("" for an amount without one).</summary>
    public IReadOnlyList<UblCurrencyUse> AmountCurrencies { get; init; } = [];

    /// <summary>The TaxTotal in the document currency: the VAT breakdown lives there.</summary>
    public UblTaxTotal? VatTotal =>
        TaxTotals.FirstOrDefault(t => t.Subtotals.Count > 0) ?? TaxTotals.FirstOrDefault(t => t.TaxAmount?.CurrencyId == DocumentCurrencyCode);

    /// <summary>The VAT breakdown (BG-23).</summary>
    public IReadOnlyList<UblTaxSubtotal> VatBreakdown => VatTotal?.Subtotals ?? [];

    /// <summary>The total VAT in the tax (accounting) currency (BT-111), when the document gives one.</summary>
    public decimal? TaxAmountInTaxCurrency =>
        TaxCurrencyCode is null ? null : TaxTotals.FirstOrDefault(t => t.TaxAmount?.CurrencyId == TaxCurrencyCode)?.TaxAmount?.Value;

    public IEnumerable<UblAttachment> Attachments =>
        AdditionalDocumentReferences.Where(r => r.Attachment is not null).Select(r => r.Attachment!);
}

/// <summary>
/// Facts about the XML as written, gathered during the same forward pass: elements with no content at all
/// (PEPPOL-EN16931-R008), date elements not written as exactly yyyy-MM-dd (PEPPOL-EN16931-F001), and values the
/// model could not hold (when <see cref="UblReaderOptions.RecordUnreadableValues"/> is set; otherwise they throw).
/// Each list keeps the first <see cref="MaxKept"/> occurrences; the counts are exact.
/// </summary>
public sealed record UblSyntax
{
    public const int MaxKept = 20;

    public static UblSyntax None { get; } = new();

    public IReadOnlyList<UblSyntaxNode> EmptyElements { get; init; } = [];

    public int EmptyElementCount { get; init; }

    public IReadOnlyList<UblSyntaxNode> BadDateFormats { get; init; } = [];

    /// <summary>Elements named *Amount (not prices, not in a price's allowance) written with more than two characters after the '.' (UBL-DT-01).</summary>
    public IReadOnlyList<UblSyntaxNode> AmountsWithMoreDecimals { get; init; } = [];

    public IReadOnlyList<UblUnreadableValue> UnreadableValues { get; init; } = [];

    /// <summary>Whether an element of this name was written with a value the model could not hold (blank ones only when asked).</summary>
    public bool HasUnreadable(string element, bool blankToo) =>
        UnreadableValues.Any(v => v.Node.Element == element && (blankToo || !string.IsNullOrWhiteSpace(v.Node.Text)));
}

/// <summary>An element as written: its local name, its text (trimmed to a readable length) and where it starts.</summary>
public sealed record UblSyntaxNode(string Element, string Text, int Line, int Position)
{
    public string Location => $"line {Line}, position {Position}";
}

/// <summary>A value the model cannot hold: <see cref="Rule"/> is UBL-NUMBER, UBL-DATE or UBL-BOOLEAN.</summary>
public sealed record UblUnreadableValue(string Rule, UblSyntaxNode Node);

public sealed record UblAmount(decimal Value, string? CurrencyId)
{
    private readonly int? _writtenDecimals;

    /// <summary>
    /// Characters after the '.' as written, surrounding whitespace included (" 100.00 " has three): the official
    /// BR-DEC rules count characters, not the decimal's scale. Defaults to the scale for amounts built in code.
    /// </summary>
    public int WrittenDecimals
    {
        get => _writtenDecimals ?? Value.Scale;
        init => _writtenDecimals = value;
    }
}

public sealed record UblQuantity(decimal Value, string? UnitCode);

public sealed record UblIdentifier(string Value, string? SchemeId);

public sealed record UblCurrencyUse(string CurrencyId, string ElementName);

public sealed record UblPeriod(DateOnly? StartDate, DateOnly? EndDate, string? DescriptionCode)
{
    /// <summary>A StartDate element is written, readable or not (PEPPOL-EN16931-R110 compares it even when blank).</summary>
    public bool HasStartDate { get; init; }

    /// <summary>An EndDate element is written, readable or not (R111).</summary>
    public bool HasEndDate { get; init; }
}

public sealed record UblAddress(
    string? StreetName,
    string? AdditionalStreetName,
    string? CityName,
    string? PostalZone,
    string? CountrySubentity,
    string? CountryCode);

public sealed record UblPartyTaxScheme(string? CompanyId, string? TaxSchemeId)
{
    /// <summary>CompanyID untrimmed: BR-CO-09 reads its first two characters as written.</summary>
    public string? CompanyIdAsWritten { get; init; }

    public bool IsVat => string.Equals(TaxSchemeId?.Trim(), "VAT", StringComparison.OrdinalIgnoreCase);
}

public sealed record UblParty
{
    public UblIdentifier? Endpoint { get; init; }

    public IReadOnlyList<UblIdentifier> Identifiers { get; init; } = [];

    /// <summary>PartyName/Name: the trading name.</summary>
    public string? TradingName { get; init; }

    /// <summary>PartyLegalEntity/RegistrationName.</summary>
    public string? LegalName { get; init; }

    /// <summary>PartyLegalEntity/CompanyID: for Belgium the enterprise number (scheme 0208).</summary>
    public UblIdentifier? CompanyId { get; init; }

    public IReadOnlyList<UblPartyTaxScheme> TaxSchemes { get; init; } = [];

    public UblAddress? PostalAddress { get; init; }

    public bool HasPartyLegalEntity { get; init; }

    public string? VatNumber => TaxSchemes.FirstOrDefault(t => t.IsVat)?.CompanyId;

    /// <summary>The Belgian enterprise number (KBO/BCE) when the legal registration id uses scheme 0208.</summary>
    public string? BelgianEnterpriseNumber => CompanyId?.SchemeId == "0208" ? CompanyId.Value : null;

    public string? CountryCode => PostalAddress?.CountryCode;
}

public sealed record UblDelivery(DateOnly? ActualDeliveryDate, UblAddress? LocationAddress)
{
    /// <summary>DeliveryLocation/ID/@schemeID as written (BR-CL-26).</summary>
    public IReadOnlyList<string> LocationIdSchemes { get; init; } = [];
}

public sealed record UblPaymentMeans(
    string? Code,
    string? PaymentId,
    string? AccountId,
    string? MandateId,
    int CardAccountCount,
    int MandateCount,
    bool HasPayeeFinancialAccount)
{
    /// <summary>PayeeFinancialAccount/ID: an IBAN for credit transfers.</summary>
    public string? Iban => AccountId;

    /// <summary>PaymentID: for Belgium typically the structured communication +++123/4567/89012+++.</summary>
    public string? StructuredCommunication => PaymentId;
}

public sealed record UblTaxCategory(
    string? Id,
    decimal? Percent,
    string? ExemptionReasonCode,
    string? ExemptionReason,
    string? Name,
    string? TaxSchemeId)
{
    public bool IsVat => string.Equals(TaxSchemeId?.Trim(), "VAT", StringComparison.OrdinalIgnoreCase);

    public string? Code => Id?.Trim();
}

public sealed record UblAllowanceCharge
{
    /// <summary>ChargeIndicator exactly as written ("true", "false", or xs:boolean's "1"/"0").</summary>
    public string? ChargeIndicatorText { get; init; }

    /// <summary>An Amount element is written, readable or not (BR-31/36/41/43 ask only that it exists).</summary>
    public bool HasAmount { get; init; }

    /// <summary>ChargeIndicator untrimmed: the Peppol code list rules CL002/CL003 compare it as written (" true" is not "true").</summary>
    public string? ChargeIndicatorAsWritten { get; init; }

    public bool? IsCharge { get; init; }

    public UblAmount? Amount { get; init; }

    public UblAmount? BaseAmount { get; init; }

    public decimal? MultiplierFactor { get; init; }

    public string? ReasonCode { get; init; }

    public string? Reason { get; init; }

    public UblTaxCategory? TaxCategory { get; init; }
}

public sealed record UblTaxSubtotal(UblAmount? TaxableAmount, UblAmount? TaxAmount, UblTaxCategory? Category);

public sealed record UblTaxTotal(UblAmount? TaxAmount, IReadOnlyList<UblTaxSubtotal> Subtotals);

public sealed record UblMonetaryTotal
{
    public UblAmount? LineExtensionAmount { get; init; }

    public UblAmount? TaxExclusiveAmount { get; init; }

    public UblAmount? TaxInclusiveAmount { get; init; }

    public UblAmount? AllowanceTotalAmount { get; init; }

    public UblAmount? ChargeTotalAmount { get; init; }

    public UblAmount? PrepaidAmount { get; init; }

    public UblAmount? PayableRoundingAmount { get; init; }

    public UblAmount? PayableAmount { get; init; }
}

public sealed record UblPrice(UblAmount? Amount, UblQuantity? BaseQuantity, IReadOnlyList<UblAllowanceCharge> AllowanceCharges);

/// <summary>One InvoiceLine or CreditNoteLine. <see cref="Position"/> is 1-based, as in an XPath.</summary>
public sealed record UblLine
{
    public required int Position { get; init; }

    public string? Id { get; init; }

    public UblQuantity? Quantity { get; init; }

    public UblAmount? LineExtensionAmount { get; init; }

    public string? ItemName { get; init; }

    public UblTaxCategory? TaxCategory { get; init; }

    public UblPrice? Price { get; init; }

    public IReadOnlyList<UblAllowanceCharge> AllowanceCharges { get; init; } = [];

    public UblPeriod? InvoicePeriod { get; init; }

    /// <summary>Line-level DocumentReference (invoiced object, BT-128).</summary>
    public IReadOnlyList<UblDocumentReference> DocumentReferences { get; init; } = [];

    /// <summary>UBL.BE asks for a TaxTotal on each line; plain EN 16931 discourages it.</summary>
    public int TaxTotalCount { get; init; }

    /// <summary>Item/CommodityClassification/ItemClassificationCode/@listID values as written (BR-CL-13).</summary>
    public IReadOnlyList<string> ClassificationListIds { get; init; } = [];

    /// <summary>Item/StandardItemIdentification/ID/@schemeID values as written (BR-CL-21).</summary>
    public IReadOnlyList<string> StandardIdentifierSchemes { get; init; } = [];

    /// <summary>An InvoicedQuantity/CreditedQuantity element is written, readable or not (BR-22 asks only that it exists).</summary>
    public bool HasQuantity { get; init; }

    /// <summary>An OrderLineReference/LineID is written (NL-R-009 then asks for the order reference).</summary>
    public bool HasOrderLineId { get; init; }

    /// <summary>The quantity element carries a unitCode attribute (BR-23 asks only that it exists).</summary>
    public bool HasQuantityUnitCode { get; init; }

    /// <summary>Item/AdditionalItemProperty elements without a Name or a Value (BR-54).</summary>
    public int IncompleteItemPropertyCount { get; init; }

    /// <summary>Item/OriginCountry/IdentificationCode (BR-CL-15).</summary>
    public string? OriginCountry { get; init; }

    /// <summary>Item/ClassifiedTaxCategory elements on the line: exactly one (UBL-SR-48); <see cref="TaxCategory"/> is the last.</summary>
    public int ClassifiedTaxCategoryCount { get; init; } = 1;
}

public sealed record UblDocumentReference(string? Id, string? TypeCode, string? Description, UblAttachment? Attachment, string? ExternalUri)
{
    /// <summary>ID/@schemeID as written (BR-CL-07 for invoiced object identifiers, type code 130).</summary>
    public string? IdSchemeId { get; init; }
}

/// <summary>What the reader knows about an embedded attachment before its bytes are decoded.</summary>
public sealed record UblAttachmentInfo(string? DocumentReferenceId, string? FileName, string? MimeCode);

/// <summary>An embedded attachment: the decoded size is counted while the base64 streams by.</summary>
public sealed record UblAttachment(string? DocumentReferenceId, string? FileName, string? MimeCode, long DecodedSize);
