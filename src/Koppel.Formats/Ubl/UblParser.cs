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
    private readonly UblSyntaxCollector _syntax = new();
    private bool _inPriceAllowanceCharge;

    // Per depth: has the element open at that depth shown a child element or text yet (PEPPOL-EN16931-R008)?
    private readonly bool[] _hasContent = new bool[options.MaxElementDepth + 2];

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

        return doc.Build(_currencies, _syntax.Build());
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
            case "DocumentCurrencyCode": doc.DocumentCurrencyCodeAsWritten = Leaf(); doc.DocumentCurrencyCode = doc.DocumentCurrencyCodeAsWritten.Trim(); break;
            case "TaxCurrencyCode": doc.TaxCurrencyCodeAsWritten = Leaf(); doc.TaxCurrencyCode = doc.TaxCurrencyCodeAsWritten.Trim(); break;
            case "BuyerReference": doc.BuyerReference = Text(); break;
            case "InvoicePeriod": doc.InvoicePeriod = ReadPeriod(); break;
            case "OrderReference": doc.OrderReference = ReadFirstId(); break;
            case "BillingReference": doc.BillingReferenceIds.Add(ReadBillingReference()); break;
            case "AdditionalDocumentReference": doc.AdditionalDocumentReferences.Add(ReadDocumentReference()); break;
            case "AccountingSupplierParty": doc.HasAccountingSupplierParty = true; doc.Supplier = ReadPartyWrapper(); break;
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
        if (xml.IsEmptyElement)
        {
            NoteEmptyElement();
            xml.Read();
            return -1;
        }

        _hasContent[depth] = false;
        xml.Read();
        return depth;
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
                    _hasContent[parentDepth] = true;
                    return true;
                case XmlNodeType.Element:
                    _hasContent[parentDepth] = true;
                    Skip();
                    break;
                case XmlNodeType.EndElement when xml.Depth == parentDepth:
                    if (!_hasContent[parentDepth])
                    {
                        NoteEmptyElement();
                    }

                    xml.Read();
                    return false;
                default:
                    // Whitespace-only text is not reported (IgnoreWhitespace): a Text or CDATA node is content.
                    if (xml.NodeType is XmlNodeType.Text or XmlNodeType.CDATA)
                    {
                        _hasContent[parentDepth] = true;
                    }

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
        if (IsCurrencyAmount())
        {
            NoteCurrency();
        }

        if (xml.IsEmptyElement)
        {
            NoteEmptyElement();
            xml.Read();
            return;
        }

        var start = xml.Depth;
        _hasContent[start] = false;

        // A date or amount element met on the way is still checked (F001, UBL-DT-01): its depth and text while inside it.
        var dateDepth = IsCheckedDate() || IsCheckedAmount() ? start : -1;
        string? dateText = null;
        var (dateLine, datePosition) = dateDepth < 0 ? (0, 0) : Here();
        while (xml.Read())
        {
            var depth = xml.Depth;
            if (depth > options.MaxElementDepth)
            {
                throw Fail(UblReadRules.TooDeep, $"Elements are nested deeper than {options.MaxElementDepth} levels");
            }

            switch (xml.NodeType)
            {
                case XmlNodeType.Element:
                    _hasContent[depth - 1] = true;
                    if (IsCurrencyAmount())
                    {
                        NoteCurrency();
                    }

                    if (xml.IsEmptyElement)
                    {
                        NoteEmptyElement();
                    }
                    else
                    {
                        _hasContent[depth] = false;
                        if (IsCheckedDate() || IsCheckedAmount())
                        {
                            (dateDepth, dateText) = (depth, null);
                            (dateLine, datePosition) = Here();
                        }
                    }

                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA:
                    _hasContent[depth - 1] = true;
                    if (dateDepth == depth - 1)
                    {
                        dateText ??= xml.Value;
                    }

                    break;
                case XmlNodeType.EndElement:
                    if (!_hasContent[depth])
                    {
                        NoteEmptyElement();
                    }

                    if (dateDepth == depth)
                    {
                        if (IsCheckedDate() && !UblSyntaxCollector.IsPlainDate(dateText ?? string.Empty))
                        {
                            _syntax.DateFormat(xml.LocalName, dateText ?? string.Empty, dateLine, datePosition);
                        }

                        if (IsCheckedAmount())
                        {
                            CheckAmountDecimals(xml.LocalName, dateText ?? string.Empty, dateLine, datePosition);
                        }

                        dateDepth = -1;
                    }

                    if (depth == start)
                    {
                        xml.Read();
                        return;
                    }

                    break;
            }
        }

        throw Fail(UblReadRules.Truncated, "The document ends before its XML is complete (truncated file?)");
    }

    private bool IsCheckedDate() => xml.NamespaceURI == Cbc && UblSyntaxCollector.IsCheckedDate(xml.LocalName);

    /// <summary>
    /// The element the reader is on (its start tag when written &lt;x/&gt;, else its end tag) has neither a child
    /// element nor text (PEPPOL-EN16931-R008); an empty date element also breaks the date format (F001).
    /// </summary>
    private void NoteEmptyElement()
    {
        var (line, position) = Here();
        _syntax.Empty(xml.LocalName, line, position);
        if (xml.IsEmptyElement && IsCheckedDate())
        {
            _syntax.DateFormat(xml.LocalName, string.Empty, line, position);
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

    private static DateOnly? FirstOf(DateOnly? first, DateOnly? next) => first ?? next;

    private T SkipAndKeep<T>(T value)
    {
        Skip();
        return value;
    }

    private string Text() => Leaf().Trim();

    /// <summary>The text of a leaf element as written (untrimmed); notes an empty element and a date not written as yyyy-MM-dd.</summary>
    private string Leaf()
    {
        var (line, position) = Here();
        var element = xml.LocalName;
        var isDate = IsCheckedDate();
        var isAmount = IsCheckedAmount();
        var text = xml.ReadElementContentAsString();
        if (isAmount)
        {
            CheckAmountDecimals(element, text, line, position);
        }

        if (IsBlank(text))
        {
            _syntax.Empty(element, line, position);
        }

        if (isDate && !UblSyntaxCollector.IsPlainDate(text))
        {
            _syntax.DateFormat(element, text, line, position);
        }

        return text;
    }

    /// <summary>The characters after the first '.' as written, whitespace included: what the BR-DEC rules and UBL-DT-01 count.</summary>
    internal static int WrittenDecimals(string written)
    {
        var dot = written.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? 0 : written.Length - dot - 1;
    }

    /// <summary>UBL-DT-01 looks at every element whose name ends in Amount, except prices and a price's allowance.</summary>
    private bool IsCheckedAmount() =>
        !_inPriceAllowanceCharge && xml.LocalName.EndsWith("Amount", StringComparison.Ordinal) && !xml.LocalName.EndsWith("PriceAmount", StringComparison.Ordinal);

    private void CheckAmountDecimals(string element, string written, int line, int position)
    {
        if (WrittenDecimals(written) > 2)
        {
            _syntax.AmountDecimals(element, written, line, position);
        }
    }

    /// <summary>What XPath's normalize-space() would turn into an empty string.</summary>
    private static bool IsBlank(string text)
    {
        foreach (var c in text)
        {
            if (c is not (' ' or '\t' or '\r' or '\n'))
            {
                return false;
            }
        }

        return true;
    }

    private UblIdentifier Identifier()
    {
        var scheme = xml.GetAttribute("schemeID");
        return new UblIdentifier(Text(), scheme);
    }

    private UblAmount? Amount()
    {
        var currency = NoteCurrency();

        return Number(out var written) is { } value ? new UblAmount(value, currency) { WrittenDecimals = WrittenDecimals(written) } : null;
    }

    /// <summary>
    /// Lists the currencyID of the amount element the reader is on; a missing one as "": the code list rules (BR-CL-03,
    /// CL007) fail it, as the artefacts do. Amounts the model does not keep (a UBL.BE line's TaxTotal) are listed too.
    /// </summary>
    private string? NoteCurrency()
    {
        var currency = xml.GetAttribute("currencyID");
        if (!_currencies.Exists(c => c.CurrencyId == (currency ?? string.Empty)))
        {
            _currencies.Add(new UblCurrencyUse(currency ?? string.Empty, xml.LocalName));
        }

        return currency;
    }

    /// <summary>The elements whose currencyID BR-CL-03 and PEPPOL-EN16931-CL007 check.</summary>
    private bool IsCurrencyAmount() => xml.NamespaceURI == Cbc && xml.LocalName is "Amount" or "BaseAmount" or "PriceAmount" or "TaxAmount"
        or "TaxableAmount" or "LineExtensionAmount" or "TaxExclusiveAmount" or "TaxInclusiveAmount" or "AllowanceTotalAmount"
        or "ChargeTotalAmount" or "PrepaidAmount" or "PayableRoundingAmount" or "PayableAmount";

    private UblQuantity? Quantity()
    {
        var unit = xml.GetAttribute("unitCode");
        return Number() is { } value ? new UblQuantity(value, unit) : null;
    }

    /// <summary>An xs:decimal as written: the decimal keeps the scale ("100.00" has two decimals), which BR-DEC rules inspect.</summary>
    private decimal? Number() => Number(out _);

    private decimal? Number(out string written)
    {
        var (line, position) = Here();
        var element = xml.LocalName;
        written = Leaf();
        var text = written.Trim();
        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;
        if (decimal.TryParse(text, style, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        var unreadable = Unreadable<decimal>(UblReadRules.BadNumber, $"{element} is not a decimal number: '{Shorten(text)}'", element, text, line, position);

        // Not an xs:decimal, but the artefacts' number() reads "1e2" as 100: the rules then judge that value, as they do.
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var approximate) && double.IsFinite(approximate)
            && Math.Abs(approximate) < 1e20
            ? (decimal)approximate
            : unreadable;
    }

    /// <summary>A value the model cannot hold: thrown, or recorded and left empty (<see cref="UblReaderOptions.RecordUnreadableValues"/>).</summary>
    private T? Unreadable<T>(string rule, string message, string element, string text, int line, int position)
        where T : struct
    {
        if (!options.RecordUnreadableValues)
        {
            throw new DocumentReadException(rule, message, line, position);
        }

        _syntax.Unreadable(rule, element, text, line, position);
        return null;
    }

    private DateOnly? Date()
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

        return Unreadable<DateOnly>(UblReadRules.BadDate, $"{element} is not a date (yyyy-MM-dd): '{Shorten(text)}'", element, text, line, position);
    }

    private static bool IsTimeZoneSuffix(ReadOnlySpan<char> suffix) =>
        suffix.IsEmpty
        || suffix is "Z"
        || (suffix.Length == 6 && suffix[0] is '+' or '-' && suffix[3] == ':'
            && char.IsAsciiDigit(suffix[1]) && char.IsAsciiDigit(suffix[2]) && char.IsAsciiDigit(suffix[4]) && char.IsAsciiDigit(suffix[5]));

    private bool? ParseBoolean(string text, int line, int position) => text switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => Unreadable<bool>(UblReadRules.BadBoolean, $"ChargeIndicator is not a boolean: '{Shorten(text)}'", "ChargeIndicator", text, line, position),
    };

    private static string Shorten(string text) => UblSyntaxCollector.Shorten(text);

    private (int Line, int Position) Here() =>
        xml is IXmlLineInfo info && info.HasLineInfo() ? (info.LineNumber, info.LinePosition) : (0, 0);

    private DocumentReadException Fail(string rule, string message)
    {
        var (line, position) = Here();
        return new DocumentReadException(rule, message, line, position);
    }
}
