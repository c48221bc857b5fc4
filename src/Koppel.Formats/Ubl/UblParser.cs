using System.Buffers;
using System.Globalization;
using System.Xml;
using Koppel.Formats.Findings;
using Koppel.Formats.Sniffing;

namespace Koppel.Formats.Ubl;

/// <summary>
/// Recursive-descent parser over an XmlReader. Each Read* method starts on the start tag of its
/// element and leaves the reader just after the matching end tag. Unknown elements are skipped
/// without being materialised, which is also how foreign extensions (ext:UBLExtensions) pass by.
/// </summary>
internal sealed class UblParser(XmlReader xml, UblReaderOptions options, CancellationToken cancellationToken)
{
    internal const string Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    internal const string Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";

    private const int Base64ChunkBytes = 48 * 1024;

    private readonly List<UblCurrencyUse> _currencies = [];

    public UblDocument ParseDocument()
    {
        MoveToRoot();
        var kind = (xml.LocalName, xml.NamespaceURI) switch
        {
            ("Invoice", DocumentSniffer.UblInvoiceNamespace) => UblDocumentKind.Invoice,
            ("CreditNote", DocumentSniffer.UblCreditNoteNamespace) => UblDocumentKind.CreditNote,
            _ => throw Fail(UblReadRules.NotUbl, $"The root element {{{xml.NamespaceURI}}}{xml.LocalName} is not a UBL 2.1 Invoice or CreditNote"),
        };

        var doc = new DocumentBuilder(kind);
        for (var depth = Enter(); NextChild(depth);)
        {
            ReadDocumentChild(doc);
        }

        // Whatever follows the root (comments, whitespace) is read so a truncated tail is noticed.
        while (xml.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        return doc.Build(_currencies);
    }

    private void ReadDocumentChild(DocumentBuilder doc)
    {
        switch (xml.LocalName)
        {
            case "CustomizationID": doc.CustomizationId = Text(); break;
            case "ProfileID": doc.ProfileId = Text(); break;
            case "ID": doc.Number = Text(); break;
            case "IssueDate": doc.IssueDate = Date(); break;
            case "DueDate": doc.DueDate = Date(); break;
            case "InvoiceTypeCode" or "CreditNoteTypeCode": doc.TypeCode = Text(); break;
            case "Note": doc.NoteCount++; xml.Skip(); break;
            case "TaxPointDate": doc.TaxPointDate = Date(); break;
            case "DocumentCurrencyCode": doc.DocumentCurrencyCode = Text(); break;
            case "TaxCurrencyCode": doc.TaxCurrencyCode = Text(); break;
            case "BuyerReference": doc.BuyerReference = Text(); break;
            case "InvoicePeriod": doc.InvoicePeriod = ReadPeriod(); break;
            case "OrderReference": doc.OrderReference = ReadFirstId(); break;
            case "BillingReference": doc.BillingReferenceIds.Add(ReadBillingReference()); break;
            case "AdditionalDocumentReference": doc.AdditionalDocumentReferences.Add(ReadDocumentReference()); break;
            case "AccountingSupplierParty": doc.Supplier = ReadPartyWrapper(); break;
            case "AccountingCustomerParty": doc.Customer = ReadPartyWrapper(); break;
            case "PayeeParty": doc.Payee = ReadParty(); break;
            case "TaxRepresentativeParty": doc.TaxRepresentative = ReadParty(); break;
            case "Delivery": doc.Delivery = ReadDelivery(); break;
            case "PaymentMeans": doc.PaymentMeans.Add(ReadPaymentMeans(doc)); break;
            case "PaymentTerms": doc.PaymentTermsNotes.Add(ReadFirstText("Note")); break;
            case "AllowanceCharge": doc.AllowanceCharges.Add(ReadAllowanceCharge()); break;
            case "TaxTotal": doc.TaxTotals.Add(ReadTaxTotal()); break;
            case "LegalMonetaryTotal": doc.Totals = ReadMonetaryTotal(); break;
            case "InvoiceLine" or "CreditNoteLine": doc.Lines.Add(ReadLine(doc.Lines.Count + 1)); break;
            default: xml.Skip(); break;
        }
    }

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
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "ID": id = Text(); break;
                case "InvoicedQuantity" or "CreditedQuantity": quantity = Quantity(); break;
                case "LineExtensionAmount": lineAmount = Amount(); break;
                case "InvoicePeriod": period = ReadPeriod(); break;
                case "DocumentReference": references.Add(ReadDocumentReference()); break;
                case "AllowanceCharge": allowanceCharges.Add(ReadAllowanceCharge()); break;
                case "TaxTotal": taxTotals++; xml.Skip(); break;
                case "Item":
                    for (var innerDepth = Enter(); NextChild(innerDepth);)
                    {
                        switch (xml.LocalName)
                        {
                            case "Name": itemName = Text(); break;
                            case "ClassifiedTaxCategory": category = ReadTaxCategory(); break;
                            default: xml.Skip(); break;
                        }
                    }
                    break;
                case "Price": price = ReadPrice(); break;
                default: xml.Skip(); break;
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
        };
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
                case "AllowanceCharge": allowances.Add(ReadAllowanceCharge()); break;
                default: xml.Skip(); break;
            }
        }

        return new UblPrice(amount, baseQuantity, allowances);
    }

    private UblAllowanceCharge ReadAllowanceCharge()
    {
        string? indicator = null, reasonCode = null, reason = null;
        bool? isCharge = null;
        UblAmount? amount = null, baseAmount = null;
        decimal? multiplier = null;
        UblTaxCategory? category = null;
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "ChargeIndicator":
                    var (line, position) = Here();
                    indicator = Text();
                    isCharge = ParseBoolean(indicator, line, position);
                    break;
                case "AllowanceChargeReasonCode": reasonCode = Text(); break;
                case "AllowanceChargeReason": reason = FirstOf(reason, Text()); break;
                case "MultiplierFactorNumeric": multiplier = Number(); break;
                case "Amount": amount = Amount(); break;
                case "BaseAmount": baseAmount = Amount(); break;
                case "TaxCategory": category = ReadTaxCategory(); break;
                default: xml.Skip(); break;
            }
        }

        return new UblAllowanceCharge
        {
            ChargeIndicatorText = indicator,
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
                default: xml.Skip(); break;
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
                            default: xml.Skip(); break;
                        }
                    }
                    subtotals.Add(new UblTaxSubtotal(taxable, tax, category));
                    break;
                default: xml.Skip(); break;
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

    private UblPaymentMeans ReadPaymentMeans(DocumentBuilder doc)
    {
        string? code = null, paymentId = null, account = null, mandate = null;
        int cards = 0, mandates = 0;
        var hasAccount = false;
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "PaymentMeansCode": code = Text(); break;
                case "PaymentID": paymentId = FirstOf(paymentId, Text()); break;
                case "PaymentDueDate": doc.PaymentDueDate = FirstOf(doc.PaymentDueDate, Date()); break;
                case "PayeeFinancialAccount": hasAccount = true; account = ReadFirstId(); break;
                case "CardAccount": cards++; xml.Skip(); break;
                case "PaymentMandate": mandates++; mandate = ReadFirstId(); break;
                default: xml.Skip(); break;
            }
        }

        return new UblPaymentMeans(code, paymentId, account, mandate, cards, mandates, hasAccount);
    }

    private UblDocumentReference ReadDocumentReference()
    {
        string? id = null, typeCode = null, description = null, uri = null;
        UblAttachment? attachment = null;
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "ID": id = Text(); break;
                case "DocumentTypeCode": typeCode = Text(); break;
                case "DocumentDescription": description = FirstOf(description, Text()); break;
                case "Attachment":
                    for (var innerDepth = Enter(); NextChild(innerDepth);)
                    {
                        switch (xml.LocalName)
                        {
                            case "EmbeddedDocumentBinaryObject": attachment = ReadEmbeddedObject(id); break;
                            case "ExternalReference": uri = ReadFirstText("URI"); break;
                            default: xml.Skip(); break;
                        }
                    }
                    break;
                default: xml.Skip(); break;
            }
        }

        return new UblDocumentReference(id, typeCode, description, attachment, uri);
    }

    private UblAttachment ReadEmbeddedObject(string? documentReferenceId)
    {
        var info = new UblAttachmentInfo(documentReferenceId, xml.GetAttribute("filename"), xml.GetAttribute("mimeCode"));
        var sink = options.AttachmentSink?.Invoke(info);
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return new UblAttachment(info.DocumentReferenceId, info.FileName, info.MimeCode, 0);
        }

        var (line, position) = Here();
        var buffer = ArrayPool<byte>.Shared.Rent(Base64ChunkBytes);
        long size = 0;
        try
        {
            int n;
            while ((n = xml.ReadElementContentAsBase64(buffer, 0, Base64ChunkBytes)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sink?.Write(buffer, 0, n);
                size += n;
            }
        }
        catch (Exception ex) when (ex is FormatException || (ex is XmlException && (ex.InnerException is FormatException || ex.Message.Contains("base64", StringComparison.OrdinalIgnoreCase))))
        {
            throw new DocumentReadException(UblReadRules.BadBase64, "The embedded attachment is not valid base64", line, position, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new UblAttachment(info.DocumentReferenceId, info.FileName, info.MimeCode, size);
    }

    private UblParty? ReadPartyWrapper()
    {
        UblParty? party = null;
        for (var depth = Enter(); NextChild(depth);)
        {
            var name = xml.LocalName;
            if (name == "Party")
            {
                party = ReadParty();
            }
            else
            {
                xml.Skip();
            }
        }

        return party;
    }

    private UblParty ReadParty()
    {
        var party = new UblParty();
        var identifiers = new List<UblIdentifier>();
        var taxSchemes = new List<UblPartyTaxScheme>();
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "EndpointID": party = party with { Endpoint = Identifier() }; break;
                case "PartyIdentification":
                    for (var innerDepth = Enter(); NextChild(innerDepth);)
                    {
                        var child = xml.LocalName;
                        if (child == "ID")
                        {
                            identifiers.Add(Identifier());
                        }
                        else
                        {
                            xml.Skip();
                        }
                    }
                    break;
                case "PartyName": party = party with { TradingName = FirstOf(party.TradingName, ReadFirstText("Name")) }; break;
                case "PostalAddress": party = party with { PostalAddress = ReadAddress() }; break;
                case "PartyTaxScheme":
                    string? companyId = null, scheme = null;
                    for (var innerDepth = Enter(); NextChild(innerDepth);)
                    {
                        switch (xml.LocalName)
                        {
                            case "CompanyID": companyId = Text(); break;
                            case "TaxScheme": scheme = ReadFirstId(); break;
                            default: xml.Skip(); break;
                        }
                    }
                    taxSchemes.Add(new UblPartyTaxScheme(companyId, scheme));
                    break;
                case "PartyLegalEntity":
                    party = party with { HasPartyLegalEntity = true };
                    for (var innerDepth = Enter(); NextChild(innerDepth);)
                    {
                        switch (xml.LocalName)
                        {
                            case "RegistrationName": party = party with { LegalName = Text() }; break;
                            case "CompanyID": party = party with { CompanyId = Identifier() }; break;
                            default: xml.Skip(); break;
                        }
                    }
                    break;
                default: xml.Skip(); break;
            }
        }

        return party with { Identifiers = identifiers, TaxSchemes = taxSchemes };
    }

    private UblAddress ReadAddress()
    {
        string? street = null, additional = null, city = null, zone = null, subentity = null, country = null;
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "StreetName": street = Text(); break;
                case "AdditionalStreetName": additional = Text(); break;
                case "CityName": city = Text(); break;
                case "PostalZone": zone = Text(); break;
                case "CountrySubentity": subentity = Text(); break;
                case "Country": country = ReadFirstText("IdentificationCode"); break;
                default: xml.Skip(); break;
            }
        }

        return new UblAddress(street, additional, city, zone, subentity, country);
    }

    private UblDelivery ReadDelivery()
    {
        DateOnly? date = null;
        UblAddress? address = null;
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "ActualDeliveryDate": date = Date(); break;
                case "DeliveryLocation":
                    for (var innerDepth = Enter(); NextChild(innerDepth);)
                    {
                        var child = xml.LocalName;
                        if (child == "Address")
                        {
                            address = ReadAddress();
                        }
                        else
                        {
                            xml.Skip();
                        }
                    }
                    break;
                default: xml.Skip(); break;
            }
        }

        return new UblDelivery(date, address);
    }

    private UblPeriod ReadPeriod()
    {
        DateOnly? start = null, end = null;
        string? code = null;
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "StartDate": start = Date(); break;
                case "EndDate": end = Date(); break;
                case "DescriptionCode": code = Text(); break;
                default: xml.Skip(); break;
            }
        }

        return new UblPeriod(start, end, code);
    }

    private string? ReadBillingReference()
    {
        string? id = null;
        for (var depth = Enter(); NextChild(depth);)
        {
            var name = xml.LocalName;
            if (name == "InvoiceDocumentReference")
            {
                id = ReadFirstId();
            }
            else
            {
                xml.Skip();
            }
        }

        return id;
    }

    private string? ReadFirstId() => ReadFirstText("ID");

    private string? ReadFirstText(string childName)
    {
        string? value = null;
        for (var depth = Enter(); NextChild(depth);)
        {
            var name = xml.LocalName;
            if (name == childName && value is null)
            {
                value = Text();
            }
            else
            {
                xml.Skip();
            }
        }

        return value;
    }

    /// <summary>
    /// Steps into the current element and returns its depth, for <see cref="NextChild"/>. An empty
    /// element is consumed at once and -1 returned, so the loop over its children does not run.
    /// Loops are written out rather than taking a callback: no closure per element on hot paths.
    /// </summary>
    private int Enter()
    {
        var depth = xml.Depth;
        var empty = xml.IsEmptyElement;
        xml.Read();
        return empty ? -1 : depth;
    }

    /// <summary>
    /// Moves to the next cbc/cac child element of the element at <paramref name="parentDepth"/>;
    /// false (and positioned after the parent's end tag) when there are no more. The caller must
    /// consume each child it is given. Foreign elements such as ext:UBLExtensions are skipped here.
    /// </summary>
    private bool NextChild(int parentDepth)
    {
        if (parentDepth < 0)
        {
            return false;
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (xml.NodeType)
            {
                case XmlNodeType.Element when xml.NamespaceURI is Cbc or Cac:
                    return true;
                case XmlNodeType.Element:
                    xml.Skip();
                    break;
                case XmlNodeType.EndElement when xml.Depth == parentDepth:
                    xml.Read();
                    return false;
                default:
                    if (!xml.Read())
                    {
                        throw Fail(UblReadRules.Truncated, "The document ends before its XML is complete (truncated file?)");
                    }

                    break;
            }
        }
    }

    private void MoveToRoot()
    {
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element)
            {
                return;
            }
        }

        throw Fail(UblReadRules.Truncated, "The document has no root element");
    }

    /// <summary>
    /// Keeps the first of repeated elements. Takes the new value as an argument on purpose: the element
    /// must be read (consumed) even when it is ignored, or the reader would never move past it.
    /// A "first ??= Read()" here once made a repeated PartyName loop forever (found by the fuzz test).
    /// </summary>
    private static T? FirstOf<T>(T? first, T? next)
        where T : class => first ?? next;

    private static DateOnly? FirstOf(DateOnly? first, DateOnly next) => first ?? next;

    private T SkipAndKeep<T>(T value)
    {
        xml.Skip();
        return value;
    }

    private string Text() => xml.ReadElementContentAsString().Trim();

    private UblIdentifier Identifier()
    {
        var scheme = xml.GetAttribute("schemeID");
        return new UblIdentifier(Text(), scheme);
    }

    private UblAmount Amount()
    {
        var currency = xml.GetAttribute("currencyID");
        var element = xml.LocalName;
        if (currency is not null && !_currencies.Exists(c => c.CurrencyId == currency))
        {
            _currencies.Add(new UblCurrencyUse(currency, element));
        }

        return new UblAmount(Number(), currency);
    }

    private UblQuantity Quantity()
    {
        var unit = xml.GetAttribute("unitCode");
        return new UblQuantity(Number(), unit);
    }

    /// <summary>An xs:decimal as written: the decimal keeps the scale ("100.00" has two decimals), which BR-DEC rules inspect.</summary>
    private decimal Number()
    {
        var (line, position) = Here();
        var element = xml.LocalName;
        var text = Text();
        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;
        if (decimal.TryParse(text, style, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw new DocumentReadException(UblReadRules.BadNumber, $"{element} is not a decimal number: '{Shorten(text)}'", line, position);
    }

    private DateOnly Date()
    {
        var (line, position) = Here();
        var element = xml.LocalName;
        var text = Text();

        // xs:date allows a time zone suffix (Z or +hh:mm); the calendar day is what matters on an invoice.
        if (text.Length >= 10
            && DateOnly.TryParseExact(text.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && IsTimeZoneSuffix(text.AsSpan(10)))
        {
            return date;
        }

        throw new DocumentReadException(UblReadRules.BadDate, $"{element} is not a date (yyyy-MM-dd): '{Shorten(text)}'", line, position);
    }

    private static bool IsTimeZoneSuffix(ReadOnlySpan<char> suffix) =>
        suffix.IsEmpty
        || suffix is "Z"
        || (suffix.Length == 6 && suffix[0] is '+' or '-' && suffix[3] == ':'
            && char.IsAsciiDigit(suffix[1]) && char.IsAsciiDigit(suffix[2]) && char.IsAsciiDigit(suffix[4]) && char.IsAsciiDigit(suffix[5]));

    private static bool ParseBoolean(string text, int line, int position) => text switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new DocumentReadException(UblReadRules.BadBoolean, $"ChargeIndicator is not a boolean: '{Shorten(text)}'", line, position),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    private (int Line, int Position) Here() =>
        xml is IXmlLineInfo info && info.HasLineInfo() ? (info.LineNumber, info.LinePosition) : (0, 0);

    private DocumentReadException Fail(string rule, string message)
    {
        var (line, position) = Here();
        return new DocumentReadException(rule, message, line, position);
    }

    /// <summary>Mutable collector for the root's children; frozen into an immutable <see cref="UblDocument"/>.</summary>
    private sealed class DocumentBuilder(UblDocumentKind kind)
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

        public List<UblLine> Lines { get; } = [];

        public UblDocument Build(IReadOnlyList<UblCurrencyUse> currencies) => new()
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
            Lines = Lines,
            AmountCurrencies = currencies,
        };
    }
}
