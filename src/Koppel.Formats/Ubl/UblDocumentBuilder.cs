namespace Koppel.Formats.Ubl;

/// <summary>Mutable collector for the root's children; frozen into an immutable <see cref="UblDocument"/>.</summary>
internal sealed class UblDocumentBuilder(UblDocumentKind kind)
{
    public string? CustomizationId { get; set; }

    public string? ProfileId { get; set; }

    public string? Number { get; set; }

    public DateOnly? IssueDate { get; set; }

    public DateOnly? DueDate { get; set; }

    public DateOnly? PaymentDueDate { get; set; }

    public DateOnly? TaxPointDate { get; set; }

    public string? TypeCode { get; set; }

    public int NoteCount { get; set; }

    public string? DocumentCurrencyCode { get; set; }

    public string? TaxCurrencyCode { get; set; }

    public string? BuyerReference { get; set; }

    public string? OrderReference { get; set; }

    public UblPeriod? InvoicePeriod { get; set; }

    public List<string?> BillingReferenceIds { get; } = [];

    public List<UblDocumentReference> AdditionalDocumentReferences { get; } = [];

    public UblParty? Supplier { get; set; }

    public UblParty? Customer { get; set; }

    public UblParty? Payee { get; set; }

    public UblParty? TaxRepresentative { get; set; }

    public UblDelivery? Delivery { get; set; }

    public List<UblPaymentMeans> PaymentMeans { get; } = [];

    public List<string?> PaymentTermsNotes { get; } = [];

    public List<UblAllowanceCharge> AllowanceCharges { get; } = [];

    public List<UblTaxTotal> TaxTotals { get; } = [];

    public UblMonetaryTotal? Totals { get; set; }

    public bool HasAccountingSupplierParty { get; set; }

    public List<string> PaymentIdsAsWritten { get; } = [];

    public List<string> PaymentMeansCodesAsWritten { get; } = [];

    public string? DocumentCurrencyCodeAsWritten { get; set; }

    public string? TaxCurrencyCodeAsWritten { get; set; }

    public List<UblLine> Lines { get; } = [];

    public UblDocument Build(IReadOnlyList<UblCurrencyUse> currencies, UblSyntax syntax) => new()
    {
        Kind = kind,
        CustomizationId = CustomizationId,
        ProfileId = ProfileId,
        Profile = UblProfiles.FromCustomizationId(CustomizationId),
        Number = Number,
        IssueDate = IssueDate,

        // A CreditNote has no DueDate of its own in UBL 2.1; it carries PaymentMeans/PaymentDueDate.
        DueDate = DueDate ?? PaymentDueDate,
        TaxPointDate = TaxPointDate,
        TypeCode = TypeCode,
        NoteCount = NoteCount,
        DocumentCurrencyCode = DocumentCurrencyCode,
        TaxCurrencyCode = TaxCurrencyCode,
        BuyerReference = BuyerReference,
        OrderReference = OrderReference,
        InvoicePeriod = InvoicePeriod,
        BillingReferenceIds = BillingReferenceIds,
        AdditionalDocumentReferences = AdditionalDocumentReferences,
        Supplier = Supplier,
        Customer = Customer,
        Payee = Payee,
        TaxRepresentative = TaxRepresentative,
        Delivery = Delivery,
        PaymentMeans = PaymentMeans,
        PaymentTermsNotes = PaymentTermsNotes,
        AllowanceCharges = AllowanceCharges,
        TaxTotals = TaxTotals,
        Totals = Totals,
        HasAccountingSupplierParty = HasAccountingSupplierParty,
        PaymentIdsAsWritten = PaymentIdsAsWritten,
        PaymentMeansCodesAsWritten = PaymentMeansCodesAsWritten,
        DocumentCurrencyCodeAsWritten = DocumentCurrencyCodeAsWritten,
        TaxCurrencyCodeAsWritten = TaxCurrencyCodeAsWritten,
        Lines = Lines,
        AmountCurrencies = currencies,
        Syntax = syntax,
    };
}
