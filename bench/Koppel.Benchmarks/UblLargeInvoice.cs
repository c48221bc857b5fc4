using System.Globalization;
using System.Xml;

namespace Koppel.Benchmarks;

/// <summary>
/// Writes a large, valid-looking Peppol invoice straight to a file with an XmlWriter: N lines and an
/// embedded pseudo-PDF of a given size, base64-encoded chunk by chunk (nothing is held whole in memory).
/// </summary>
public static class UblLargeInvoice
{
    private const string Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    private const string Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

    public static string WriteTempFile(int lineCount, long attachmentBytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"koppel-ubl-{lineCount}-lines-{attachmentBytes}-bytes.xml");
        if (!File.Exists(path))
        {
            Write(path, lineCount, attachmentBytes);
        }

        return path;
    }

    private static void Write(string path, int lineCount, long attachmentBytes)
    {
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var w = XmlWriter.Create(file, new XmlWriterSettings { Indent = true }))
        {
            w.WriteStartElement(null, "Invoice", "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2");
            w.WriteAttributeString("xmlns", "cac", null, Cac);
            w.WriteAttributeString("xmlns", "cbc", null, Cbc);
            Basic(w, "CustomizationID", "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0");
            Basic(w, "ProfileID", "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
            Basic(w, "ID", "BENCH-1");
            Basic(w, "IssueDate", "2026-03-02");
            Basic(w, "DueDate", "2026-04-01");
            Basic(w, "InvoiceTypeCode", "380");
            Basic(w, "DocumentCurrencyCode", "EUR");
            Basic(w, "BuyerReference", "BENCH");
            WriteAttachment(w, attachmentBytes);
            WriteParty(w, "AccountingSupplierParty", "0000000196", "Bench Supplier NV");
            WriteParty(w, "AccountingCustomerParty", "0739484052", "Bench Customer BV");

            var lineTotal = 0m;
            for (var i = 1; i <= lineCount; i++)
            {
                lineTotal += 10.00m + (i % 100);
            }

            var vat = Math.Round(lineTotal * 0.21m, 2, MidpointRounding.AwayFromZero);
            w.WriteStartElement("cac", "TaxTotal", Cac);
            Amount(w, "TaxAmount", vat);
            w.WriteStartElement("cac", "TaxSubtotal", Cac);
            Amount(w, "TaxableAmount", lineTotal);
            Amount(w, "TaxAmount", vat);
            WriteCategory(w, "TaxCategory");
            w.WriteEndElement();
            w.WriteEndElement();

            w.WriteStartElement("cac", "LegalMonetaryTotal", Cac);
            Amount(w, "LineExtensionAmount", lineTotal);
            Amount(w, "TaxExclusiveAmount", lineTotal);
            Amount(w, "TaxInclusiveAmount", lineTotal + vat);
            Amount(w, "PayableAmount", lineTotal + vat);
            w.WriteEndElement();

            for (var i = 1; i <= lineCount; i++)
            {
                WriteLine(w, i, 10.00m + (i % 100));
            }

            w.WriteEndElement();
        }

        File.Move(temp, path, overwrite: true);
    }

    private static void WriteAttachment(XmlWriter w, long size)
    {
        w.WriteStartElement("cac", "AdditionalDocumentReference", Cac);
        Basic(w, "ID", "BENCH-1.pdf");
        w.WriteStartElement("cac", "Attachment", Cac);
        w.WriteStartElement("cbc", "EmbeddedDocumentBinaryObject", Cbc);
        w.WriteAttributeString("mimeCode", "application/pdf");
        w.WriteAttributeString("filename", "bench.pdf");
        var chunk = new byte[57 * 1024];
        var random = new Random(42);
        "%PDF-1.4\n"u8.CopyTo(chunk);
        for (long written = 0; written < size; written += chunk.Length)
        {
            if (written > 0)
            {
                random.NextBytes(chunk);
            }

            w.WriteBase64(chunk, 0, (int)Math.Min(chunk.Length, size - written));
        }

        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void WriteParty(XmlWriter w, string role, string enterpriseNumber, string name)
    {
        w.WriteStartElement("cac", role, Cac);
        w.WriteStartElement("cac", "Party", Cac);
        w.WriteStartElement("cbc", "EndpointID", Cbc);
        w.WriteAttributeString("schemeID", "0208");
        w.WriteString(enterpriseNumber);
        w.WriteEndElement();
        w.WriteStartElement("cac", "PostalAddress", Cac);
        Basic(w, "CityName", "Brussel");
        w.WriteStartElement("cac", "Country", Cac);
        Basic(w, "IdentificationCode", "BE");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("cac", "PartyTaxScheme", Cac);
        Basic(w, "CompanyID", "BE" + enterpriseNumber);
        w.WriteStartElement("cac", "TaxScheme", Cac);
        Basic(w, "ID", "VAT");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("cac", "PartyLegalEntity", Cac);
        Basic(w, "RegistrationName", name);
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void WriteLine(XmlWriter w, int id, decimal amount)
    {
        w.WriteStartElement("cac", "InvoiceLine", Cac);
        Basic(w, "ID", id.ToString(CultureInfo.InvariantCulture));
        w.WriteStartElement("cbc", "InvoicedQuantity", Cbc);
        w.WriteAttributeString("unitCode", "C62");
        w.WriteString("1");
        w.WriteEndElement();
        Amount(w, "LineExtensionAmount", amount);
        w.WriteStartElement("cac", "Item", Cac);
        Basic(w, "Description", "Benchmark article with a description of typical length " + id.ToString(CultureInfo.InvariantCulture));
        Basic(w, "Name", "Article " + id.ToString(CultureInfo.InvariantCulture));
        WriteCategory(w, "ClassifiedTaxCategory");
        w.WriteEndElement();
        w.WriteStartElement("cac", "Price", Cac);
        Amount(w, "PriceAmount", amount);
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void WriteCategory(XmlWriter w, string element)
    {
        w.WriteStartElement("cac", element, Cac);
        Basic(w, "ID", "S");
        Basic(w, "Percent", "21");
        w.WriteStartElement("cac", "TaxScheme", Cac);
        Basic(w, "ID", "VAT");
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void Basic(XmlWriter w, string name, string value) => w.WriteElementString("cbc", name, Cbc, value);

    private static void Amount(XmlWriter w, string name, decimal value)
    {
        w.WriteStartElement("cbc", name, Cbc);
        w.WriteAttributeString("currencyID", "EUR");
        w.WriteString(value.ToString("0.00", CultureInfo.InvariantCulture));
        w.WriteEndElement();
    }
}
