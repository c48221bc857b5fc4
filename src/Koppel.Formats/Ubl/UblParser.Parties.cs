using System.Buffers;
using System.Xml;
using Koppel.Formats.Findings;

namespace Koppel.Formats.Ubl;

/// <summary>Parties, addresses, delivery, payment, periods, and document references with their attachments.</summary>
internal sealed partial class UblParser
{
    private UblPaymentMeans ReadPaymentMeans(UblDocumentBuilder doc)
    {
        string? code = null, paymentId = null, account = null, mandate = null;
        int cards = 0, mandates = 0;
        var hasAccount = false;
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "PaymentMeansCode":
                    var writtenCode = Leaf();
                    doc.PaymentMeansCodesAsWritten.Add(writtenCode);
                    code = writtenCode.Trim();
                    break;
                case "PaymentID":
                    var written = Leaf();
                    doc.PaymentIdsAsWritten.Add(written);
                    paymentId = FirstOf(paymentId, written.Trim());
                    break;
                case "PaymentDueDate": doc.PaymentDueDate = FirstOf(doc.PaymentDueDate, Date()); break;
                case "PayeeFinancialAccount": hasAccount = true; account = ReadFirstId(); break;
                case "CardAccount": cards++; Skip(); break;
                case "PaymentMandate": mandates++; mandate = ReadFirstId(); break;
                default: Skip(); break;
            }
        }

        return new UblPaymentMeans(code, paymentId, account, mandate, cards, mandates, hasAccount);
    }

    private UblDocumentReference ReadDocumentReference()
    {
        string? id = null, idScheme = null, typeCode = null, description = null, uri = null;
        UblAttachment? attachment = null;
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "ID": idScheme = xml.GetAttribute("schemeID"); id = Text(); break;
                case "DocumentTypeCode": typeCode = Text(); break;
                case "DocumentDescription": description = FirstOf(description, Text()); break;
                case "Attachment":
                    for (var innerDepth = Enter(); NextChild(innerDepth);)
                    {
                        switch (xml.LocalName)
                        {
                            case "EmbeddedDocumentBinaryObject": attachment = ReadEmbeddedObject(id); break;
                            case "ExternalReference": uri = ReadFirstText("URI"); break;
                            default: Skip(); break;
                        }
                    }
                    break;
                default: Skip(); break;
            }
        }

        return new UblDocumentReference(id, typeCode, description, attachment, uri) { IdSchemeId = idScheme };
    }

    private UblAttachment ReadEmbeddedObject(string? documentReferenceId)
    {
        var info = new UblAttachmentInfo(documentReferenceId, xml.GetAttribute("filename"), xml.GetAttribute("mimeCode"));
        var sink = options.AttachmentSink?.Invoke(info);
        if (xml.IsEmptyElement)
        {
            NoteEmptyElement();
            xml.Read();
            return new UblAttachment(info.DocumentReferenceId, info.FileName, info.MimeCode, 0);
        }

        var (line, position) = Here();
        var element = xml.LocalName;
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

        if (size == 0)
        {
            // Only whitespace between the tags: nothing to decode, and an empty element to the Peppol rules.
            _syntax.Empty(element, line, position);
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
                Skip();
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
                            Skip();
                        }
                    }
                    break;
                case "PartyName": party = party with { TradingName = FirstOf(party.TradingName, ReadFirstText("Name")) }; break;
                case "PostalAddress": party = party with { PostalAddress = ReadAddress() }; break;
                case "PartyTaxScheme":
                    string? companyId = null, companyIdWritten = null, scheme = null;
                    for (var innerDepth = Enter(); NextChild(innerDepth);)
                    {
                        switch (xml.LocalName)
                        {
                            case "CompanyID": companyIdWritten = Leaf(); companyId = companyIdWritten.Trim(); break;
                            case "TaxScheme": scheme = ReadFirstId(); break;
                            default: Skip(); break;
                        }
                    }
                    taxSchemes.Add(new UblPartyTaxScheme(companyId, scheme) { CompanyIdAsWritten = companyIdWritten });
                    break;
                case "PartyLegalEntity":
                    party = party with { HasPartyLegalEntity = true };
                    for (var innerDepth = Enter(); NextChild(innerDepth);)
                    {
                        switch (xml.LocalName)
                        {
                            case "RegistrationName": party = party with { LegalName = Text() }; break;
                            case "CompanyID": party = party with { CompanyId = Identifier() }; break;
                            default: Skip(); break;
                        }
                    }
                    break;
                default: Skip(); break;
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
                default: Skip(); break;
            }
        }

        return new UblAddress(street, additional, city, zone, subentity, country);
    }

    private UblDelivery ReadDelivery()
    {
        DateOnly? date = null;
        UblAddress? address = null;
        var locationSchemes = new List<string>();
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
                        else if (child == "ID" && xml.GetAttribute("schemeID") is { } scheme)
                        {
                            locationSchemes.Add(scheme);
                            Skip();
                        }
                        else
                        {
                            Skip();
                        }
                    }
                    break;
                default: Skip(); break;
            }
        }

        return new UblDelivery(date, address) { LocationIdSchemes = locationSchemes };
    }

    private UblPeriod ReadPeriod()
    {
        DateOnly? start = null, end = null;
        string? code = null;
        bool hasStart = false, hasEnd = false;
        for (var depth = Enter(); NextChild(depth);)
        {
            switch (xml.LocalName)
            {
                case "StartDate": hasStart = true; start = Date(); break;
                case "EndDate": hasEnd = true; end = Date(); break;
                case "DescriptionCode": code = Text(); break;
                default: Skip(); break;
            }
        }

        return new UblPeriod(start, end, code) { HasStartDate = hasStart, HasEndDate = hasEnd };
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
                Skip();
            }
        }

        return id;
    }

    private string? ReadFirstId() => ReadFirstText("ID");

    /// <summary>Collects <paramref name="attribute"/> of every <paramref name="childName"/> child that has it.</summary>
    private void ReadAttributesOf(string childName, string attribute, List<string> values)
    {
        for (var depth = Enter(); NextChild(depth);)
        {
            if (xml.LocalName == childName && xml.GetAttribute(attribute) is { } value)
            {
                values.Add(value);
            }

            Skip();
        }
    }

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
                Skip();
            }
        }

        return value;
    }
}
