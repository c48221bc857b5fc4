using Koppel.Connectors.Common;
using Koppel.Formats.Sniffing;

namespace Koppel.Connectors.Tests;

public sealed class FileNameTests
{
    [Theory]
    [InlineData("invoice.xml", "d0123456789abcdef", "invoice_d0123456789a.xml")]
    [InlineData("../../etc/passwd", "d0123456789abcdef", "passwd_d0123456789a")]
    [InlineData("C:\\scans\\Factuur été.PDF", "d0123456789abcdef", "Factuur__t__d0123456789a.PDF")]
    [InlineData(".hidden", "d01", "hidden_d01")]
    [InlineData("...", "d0123456789abcdef", "document_d0123456789a")]
    public void Names_are_deterministic_safe_and_keep_the_extension(string original, string deliveryId, string expected)
    {
        Assert.Equal(expected, DeliveryFileName.For(original, deliveryId).FileName);
    }

    [Fact]
    public void Attachments_and_part_files_derive_from_the_delivery_name()
    {
        var name = DeliveryFileName.For("inv.xml", "dabcdefabcdefabcdef");

        Assert.Equal("inv_dabcdefabcde_inv.pdf", name.ForAttachment("inv.pdf"));
        Assert.Equal(".inv_dabcdefabcde.xml.part", DeliveryFileName.PartNameFor(name.FileName));
    }

    [Theory]
    [InlineData("Q-0001.pdf", DocumentFormat.UblInvoice, "Q-0001_d0123456789a.xml")]
    [InlineData("R-0001.xml.part", DocumentFormat.UblCreditNote, "R-0001_d0123456789a.xml")]
    [InlineData("statement", DocumentFormat.Coda, "statement_d0123456789a.cod")]
    [InlineData("scan.XML", DocumentFormat.Pdf, "scan_d0123456789a.pdf")]
    [InlineData("inv..xml", DocumentFormat.UblInvoice, "inv._d0123456789a.xml")]
    [InlineData("odd.name.v2", DocumentFormat.Unknown, "odd.name_d0123456789a.v2")]
    public void The_extension_follows_the_detected_format_not_the_uploaded_name(string uploaded, DocumentFormat format, string expected)
    {
        Assert.Equal(expected, DeliveryFileName.For(uploaded, "d0123456789abcdef", format).FileName);
    }

    [Fact]
    public void A_mail_attachment_is_named_for_its_format_too()
    {
        Assert.Equal("Q-0001.xml", DeliveryFileName.WithFormatExtension("Q-0001.pdf", DocumentFormat.UblInvoice));
    }
}
