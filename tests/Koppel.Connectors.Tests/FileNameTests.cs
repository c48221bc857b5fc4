using Koppel.Connectors.Common;

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
}
