using System.Text;
using Koppel.Formats.Sniffing;

namespace Koppel.Formats.Tests.Sniffing;

public class DocumentSnifferTests
{
    private const string CodaHeader = "0000002112630005        00000001  DEMO BAKKERIJ BV          BBRUBEBB   00403170701 00000                                       2";

    [Theory]
    [InlineData("%PDF-1.7\n%âãÏÓ", DocumentFormat.Pdf)]
    [InlineData(CodaHeader, DocumentFormat.Coda)]
    [InlineData("\uFEFF" + CodaHeader, DocumentFormat.Coda)]
    [InlineData("<?xml version=\"1.0\"?>\n<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"><", DocumentFormat.UblInvoice)]
    [InlineData("\uFEFF  <CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\">", DocumentFormat.UblCreditNote)]
    [InlineData("<Invoice xmlns=\"urn:example:not-ubl\"/>", DocumentFormat.OtherXml)]
    [InlineData("<!DOCTYPE Invoice [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"/>", DocumentFormat.UblInvoice)] // the DTD is skipped, never resolved; the UBL reader refuses it as XML-DTD
    [InlineData("Factuur 2026-0042, zie bijlage", DocumentFormat.Unknown)]
    [InlineData("", DocumentFormat.Unknown)]
    public void Files_are_recognised_by_their_first_bytes_not_their_name(string start, DocumentFormat expected) =>
        Assert.Equal(expected, DocumentSniffer.Sniff(Encoding.UTF8.GetBytes(start)));

    [Fact]
    public async Task Only_the_prefix_of_a_large_stream_is_read()
    {
        var content = new MemoryStream(Encoding.ASCII.GetBytes("%PDF-1.4\n" + new string('x', 1_000_000)));
        Assert.Equal(DocumentFormat.Pdf, await DocumentSniffer.SniffAsync(content));
        Assert.Equal(DocumentSniffer.PrefixLength, content.Position);
    }

    [Fact]
    public void A_ubl_with_a_doctype_is_routed_as_ubl_so_the_reader_can_refuse_it_for_its_dtd()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE Invoice [<!ENTITY x \"y\">]><Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"><ID>&x;</ID></Invoice>";

        Assert.Equal(DocumentFormat.UblInvoice, DocumentSniffer.Sniff(System.Text.Encoding.UTF8.GetBytes(xml)));
    }

    [Theory]
    [InlineData("utf-16LE", true)]
    [InlineData("utf-16BE", true)]
    [InlineData("utf-16LE", false)]
    public void A_utf16_ubl_is_recognised_with_or_without_byte_order_mark(string encodingName, bool withBom)
    {
        var encoding = System.Text.Encoding.GetEncoding(encodingName);
        var xml = "<?xml version=\"1.0\" encoding=\"utf-16\"?><CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\"/>";
        byte[] bytes = [.. (withBom ? encoding.GetPreamble() : []), .. encoding.GetBytes(xml)];

        Assert.Equal(DocumentFormat.UblCreditNote, DocumentSniffer.Sniff(bytes));
    }
}
