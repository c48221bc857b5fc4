using System.Globalization;
using System.Xml;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;

namespace Koppel.Core.Ingestion;

/// <summary>
/// Reads the facts Koppel routes on from UBL, CODA and PDF files, streaming. Hostile XML (DTDs, entities)
/// and files over the size limit are refused with a reason that names the place.
/// </summary>
public sealed class FormatsDocumentReader(long maxDocumentBytes = 64L * 1024 * 1024) : IDocumentReader
{
    private const string Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    private const string Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

    public async Task<DocumentFacts> ReadAsync(
        Stream content,
        string fileName,
        Func<string, string, Stream, CancellationToken, Task<ArchivedAttachment>> storeAttachment,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var buffered = new BufferedStream(content, DocumentSniffer.PrefixLength);
        var prefix = new byte[DocumentSniffer.PrefixLength];
        var read = 0;
        while (read < prefix.Length)
        {
            var n = await buffered.ReadAsync(prefix.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        var format = DocumentSniffer.Sniff(prefix.AsSpan(0, read));
        var whole = new LimitedStream(new PrefixedStream(prefix.AsMemory(0, read), buffered), maxDocumentBytes, fileName);
        return format switch
        {
            DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote => await ReadUblAsync(whole, format, fileName, storeAttachment, cancellationToken),
            DocumentFormat.Coda => new DocumentFacts { Format = format },
            DocumentFormat.Pdf => new DocumentFacts { Format = format },
            DocumentFormat.OtherXml => throw new DocumentRejectedException(QuarantineCodes.UnknownFormat, $"{fileName} is XML but not a UBL 2.1 Invoice or CreditNote (or it declares a DTD, which Koppel refuses).", "line 1"),
            _ => throw new DocumentRejectedException(QuarantineCodes.UnknownFormat, $"{fileName} is neither UBL, CODA nor PDF.", "byte 0"),
        };
    }

    private static async Task<DocumentFacts> ReadUblAsync(
        Stream content,
        DocumentFormat format,
        string fileName,
        Func<string, string, Stream, CancellationToken, Task<ArchivedAttachment>> storeAttachment,
        CancellationToken cancellationToken)
    {
        var settings = new XmlReaderSettings
        {
            Async = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreWhitespace = true,
            MaxCharactersFromEntities = 0,
        };
        using var reader = XmlReader.Create(content, settings);
        var info = (IXmlLineInfo)reader;
        var facts = new DocumentFacts { Format = format };
        var attachments = new List<ArchivedAttachment>();
        var path = new List<string>();
        PartyBuilder? party = null;
        PartyFacts? supplier = null, customer = null;
        try
        {
            // ReadElementContentAs* leaves the reader on the node after the element; that node must not be skipped.
            var positioned = false;
            while (positioned || await reader.ReadAsync())
            {
                positioned = false;
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.NodeType == XmlNodeType.EndElement)
                {
                    var closing = path[^1];
                    path.RemoveAt(path.Count - 1);
                    if (party is not null && closing is "AccountingSupplierParty" or "AccountingCustomerParty")
                    {
                        if (closing == "AccountingSupplierParty")
                        {
                            supplier = party.Build();
                        }
                        else
                        {
                            customer = party.Build();
                        }

                        party = null;
                    }

                    continue;
                }

                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                var name = reader.LocalName;
                var depth = path.Count;
                var isEmpty = reader.IsEmptyElement;
                if (name is "AccountingSupplierParty" or "AccountingCustomerParty" && reader.NamespaceURI == Cac && depth == 1)
                {
                    party = new PartyBuilder();
                }

                if (reader.NamespaceURI == Cbc && depth == 1)
                {
                    switch (name)
                    {
                        case "ID":
                            facts = facts with { Number = (await reader.ReadElementContentAsStringAsync()).Trim() };
                            positioned = true;
                            continue;
                        case "IssueDate":
                            var text = (await reader.ReadElementContentAsStringAsync()).Trim();
                            facts = facts with { IssueDate = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null };
                            positioned = true;
                            continue;
                        case "DocumentCurrencyCode":
                            facts = facts with { Currency = (await reader.ReadElementContentAsStringAsync()).Trim() };
                            positioned = true;
                            continue;
                    }
                }

                if (reader.NamespaceURI == Cbc && name == "PayableAmount" && depth == 2 && path[1] == "LegalMonetaryTotal")
                {
                    var text = (await reader.ReadElementContentAsStringAsync()).Trim();
                    facts = facts with { PayableAmount = decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : null };
                    positioned = true;
                    continue;
                }

                if (party is not null && reader.NamespaceURI == Cbc && !isEmpty && await party.TryTakeAsync(reader, path))
                {
                    positioned = true;
                    continue;
                }

                if (name == "EmbeddedDocumentBinaryObject" && reader.NamespaceURI == Cbc)
                {
                    var attachmentName = reader.GetAttribute("filename") ?? $"attachment-{attachments.Count + 1}";
                    var mime = reader.GetAttribute("mimeCode") ?? "application/octet-stream";
                    await using var decoded = new Base64ElementStream(reader);
                    attachments.Add(await storeAttachment(attachmentName, mime, decoded, cancellationToken));
                    positioned = !isEmpty;
                    continue;
                }

                if (!isEmpty)
                {
                    path.Add(name);
                }
            }
        }
        catch (XmlException ex)
        {
            throw new DocumentRejectedException(QuarantineCodes.Unreadable, $"{fileName} is not well-formed XML: {ex.Message}", $"line {ex.LineNumber}, position {ex.LinePosition}");
        }
        catch (DocumentTooLargeException ex)
        {
            throw new DocumentRejectedException(QuarantineCodes.TooLarge, ex.Message, $"line {info.LineNumber}");
        }

        return facts with { Supplier = supplier, Customer = customer, Attachments = attachments };
    }

    private sealed class PartyBuilder
    {
        private string? _name;
        private string? _vat;
        private string? _companyId;
        private string? _endpoint;

        public async Task<bool> TryTakeAsync(XmlReader reader, List<string> path)
        {
            var parent = path[^1];
            switch (reader.LocalName)
            {
                case "EndpointID" when parent == "Party":
                    var scheme = reader.GetAttribute("schemeID");
                    var value = (await reader.ReadElementContentAsStringAsync()).Trim();
                    _endpoint = scheme is null ? value : $"{scheme}:{value}";
                    return true;
                case "Name" when parent == "PartyName":
                    var nameText = (await reader.ReadElementContentAsStringAsync()).Trim();
                    _name ??= nameText;
                    return true;
                case "RegistrationName" when parent == "PartyLegalEntity":
                    var legalNameText = (await reader.ReadElementContentAsStringAsync()).Trim();
                    _name ??= legalNameText;
                    return true;
                case "CompanyID" when parent == "PartyTaxScheme":
                    var vatText = (await reader.ReadElementContentAsStringAsync()).Trim();
                    _vat ??= vatText;
                    return true;
                case "CompanyID" when parent == "PartyLegalEntity":
                    var companyIdText = (await reader.ReadElementContentAsStringAsync()).Trim();
                    _companyId ??= companyIdText;
                    return true;
                default:
                    return false;
            }
        }

        public PartyFacts Build() => new(_name, _vat, _companyId, _endpoint);
    }
}
