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
internal sealed partial class UblParser(XmlReader xml, UblReaderOptions options, CancellationToken cancellationToken)
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

        var doc = new UblDocumentBuilder(kind);
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

    private void ReadDocumentChild(UblDocumentBuilder doc)
    {
        switch (xml.LocalName)
        {
            case "CustomizationID": doc.CustomizationId = Text(); break;
            case "ProfileID": doc.ProfileId = Text(); break;
            case "ID": doc.Number = Text(); break;
            case "IssueDate": doc.IssueDate = Date(); break;
            case "DueDate": doc.DueDate = Date(); break;
            case "InvoiceTypeCode" or "CreditNoteTypeCode": doc.TypeCode = Text(); break;
            case "Note": doc.NoteCount++; Skip(); break;
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
            default: Skip(); break;
        }
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
                case XmlNodeType.Element when xml.Depth > options.MaxElementDepth:
                    throw Fail(UblReadRules.TooDeep, $"Elements are nested deeper than {options.MaxElementDepth} levels");
                case XmlNodeType.Element when xml.NamespaceURI is Cbc or Cac:
                    return true;
                case XmlNodeType.Element:
                    Skip();
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

    /// <summary>
    /// Steps over the current element and everything in it, like XmlReader.Skip, but refuses nesting
    /// deeper than <see cref="UblReaderOptions.MaxElementDepth"/> on the way.
    /// </summary>
    private void Skip()
    {
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return;
        }

        var depth = xml.Depth;
        while (xml.Read())
        {
            if (xml.Depth > options.MaxElementDepth)
            {
                throw Fail(UblReadRules.TooDeep, $"Elements are nested deeper than {options.MaxElementDepth} levels");
            }

            if (xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth)
            {
                xml.Read();
                return;
            }
        }

        throw Fail(UblReadRules.Truncated, "The document ends before its XML is complete (truncated file?)");
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
        Skip();
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
}
