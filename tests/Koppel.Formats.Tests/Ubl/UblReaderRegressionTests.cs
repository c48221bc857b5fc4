using System.Text;
using Koppel.Formats.Ubl;

namespace Koppel.Formats.Tests.Ubl;

/// <summary>Inputs the fuzz test found to misbehave, kept as named cases.</summary>
public sealed class UblReaderRegressionTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_party_with_two_party_names_is_read_and_keeps_the_first_name()
    {
        // Found by fuzzing (duplicated cac:PartyName): the second name was never consumed and the reader looped forever.
        var xml = SampleInvoice.Xml().Replace(
            "<cac:PartyName><cbc:Name>Koppel Test Leverancier</cbc:Name></cac:PartyName>",
            "<cac:PartyName><cbc:Name>Koppel Test Leverancier</cbc:Name></cac:PartyName><cac:PartyName><cbc:Name>Second</cbc:Name></cac:PartyName>",
            StringComparison.Ordinal);

        var doc = ReadWithinBudget(xml);

        Assert.Equal("Koppel Test Leverancier", doc.Supplier!.TradingName);
    }

    [Fact]
    public void Repeated_payment_ids_reasons_and_descriptions_are_read_past_without_hanging()
    {
        var xml = SampleInvoice.Xml()
            .Replace("<cbc:PaymentID>+++090/9337/55493+++</cbc:PaymentID>", "<cbc:PaymentID>+++090/9337/55493+++</cbc:PaymentID><cbc:PaymentID>second</cbc:PaymentID>", StringComparison.Ordinal)
            .Replace("<cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode>", "<cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode><cbc:AllowanceChargeReason>a</cbc:AllowanceChargeReason><cbc:AllowanceChargeReason>b</cbc:AllowanceChargeReason>", StringComparison.Ordinal)
            .Replace("<cbc:ID>KOP-2026-0001.pdf</cbc:ID>", "<cbc:ID>KOP-2026-0001.pdf</cbc:ID><cbc:DocumentDescription>one</cbc:DocumentDescription><cbc:DocumentDescription>two</cbc:DocumentDescription>", StringComparison.Ordinal);

        var doc = ReadWithinBudget(xml);

        Assert.Equal("+++090/9337/55493+++", doc.PaymentMeans[0].PaymentId);
        Assert.Equal("a", doc.Lines[1].AllowanceCharges[0].Reason);
        Assert.Equal("one", doc.AdditionalDocumentReferences[0].Description);
    }

    private static UblDocument ReadWithinBudget(string xml)
    {
        using var cts = new CancellationTokenSource(Budget);
        return UblReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), cancellationToken: cts.Token);
    }
}
