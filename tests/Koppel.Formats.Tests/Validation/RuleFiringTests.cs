using System.Text;
using Koppel.Formats.Findings;
using Koppel.Formats.Tests.Ubl;
using Koppel.Formats.Validation;

namespace Koppel.Formats.Tests.Validation;

/// <summary>
/// One deliberate mistake at a time in an otherwise correct invoice, and the official rule that must catch it.
/// The corpus files are all valid, so these cases guard against rules that never fire.
/// </summary>
public sealed class RuleFiringTests
{
    [Theory]
    [InlineData("<cbc:TaxExclusiveAmount currencyID=\"EUR\">250.00<", "<cbc:TaxExclusiveAmount currencyID=\"EUR\">251.00<", "BR-CO-13")]
    [InlineData("<cbc:LineExtensionAmount currencyID=\"EUR\">250.00<", "<cbc:LineExtensionAmount currencyID=\"EUR\">250.000<", "BR-DEC-09")]
    [InlineData("<cbc:TaxAmount currencyID=\"EUR\">52.50</cbc:TaxAmount>\n    <cac:TaxSubtotal>", "<cbc:TaxAmount currencyID=\"EUR\">52.60</cbc:TaxAmount>\n    <cac:TaxSubtotal>", "BR-CO-14")]
    [InlineData("<cbc:TaxableAmount currencyID=\"EUR\">250.00</cbc:TaxableAmount>\n      <cbc:TaxAmount currencyID=\"EUR\">52.50<", "<cbc:TaxableAmount currencyID=\"EUR\">250.00</cbc:TaxableAmount>\n      <cbc:TaxAmount currencyID=\"EUR\">60.00<", "BR-CO-17")]
    [InlineData("<cbc:TaxableAmount currencyID=\"EUR\">250.00</cbc:TaxableAmount>\n      <cbc:TaxAmount currencyID=\"EUR\">52.50<", "<cbc:TaxableAmount currencyID=\"EUR\">250.00</cbc:TaxableAmount>\n      <cbc:TaxAmount currencyID=\"EUR\">60.00<", "BR-S-09")]
    [InlineData("<cbc:TaxableAmount currencyID=\"EUR\">250.00<", "<cbc:TaxableAmount currencyID=\"EUR\">240.00<", "BR-S-08")]
    [InlineData("<cbc:Name>Cables</cbc:Name>\n      <cac:ClassifiedTaxCategory>\n        <cbc:ID>S</cbc:ID>\n        <cbc:Percent>21</cbc:Percent>", "<cbc:Name>Cables</cbc:Name>\n      <cac:ClassifiedTaxCategory>\n        <cbc:ID>E</cbc:ID>\n        <cbc:Percent>0</cbc:Percent>", "BR-E-01")]
    [InlineData("<cbc:Name>Cables</cbc:Name>\n      <cac:ClassifiedTaxCategory>\n        <cbc:ID>S</cbc:ID>\n        <cbc:Percent>21</cbc:Percent>", "<cbc:Name>Cables</cbc:Name>\n      <cac:ClassifiedTaxCategory>\n        <cbc:ID>Z</cbc:ID>\n        <cbc:Percent>21</cbc:Percent>", "BR-Z-05")]
    [InlineData("<cbc:Name>Cables</cbc:Name>\n      <cac:ClassifiedTaxCategory>\n        <cbc:ID>S</cbc:ID>", "<cbc:Name>Cables</cbc:Name>\n      <cac:ClassifiedTaxCategory>\n        <cbc:ID>X</cbc:ID>", "BR-CL-18")]
    [InlineData("<cbc:PaymentMeansCode>30<", "<cbc:PaymentMeansCode>999<", "BR-CL-16")]
    [InlineData("<cac:PayeeFinancialAccount><cbc:ID>BE71096123456769</cbc:ID></cac:PayeeFinancialAccount>", "", "BR-61")]
    [InlineData("<cbc:Name>Consultancy</cbc:Name>", "<cbc:Name> </cbc:Name>", "BR-25")]
    [InlineData("<cbc:DueDate>2026-04-01</cbc:DueDate>", "", "BR-CO-25")]
    [InlineData("<cbc:RegistrationName>Duvel Klant BV</cbc:RegistrationName>", "", "BR-07")]
    [InlineData("<cbc:IdentificationCode>BE</cbc:IdentificationCode>", "<cbc:IdentificationCode>XX</cbc:IdentificationCode>", "BR-CL-14")]
    [InlineData("<cbc:CompanyID>BE0000000196</cbc:CompanyID>", "<cbc:CompanyID>0000000196</cbc:CompanyID>", "BR-CO-09")]
    [InlineData("<cbc:ChargeIndicator>false</cbc:ChargeIndicator>", "<cbc:ChargeIndicator>0</cbc:ChargeIndicator>", "PEPPOL-EN16931-R043")]
    [InlineData("<cbc:BuyerReference>PO-778</cbc:BuyerReference>", "", "PEPPOL-EN16931-R003")]
    [InlineData("<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>", "<cbc:ProfileID>billing</cbc:ProfileID>", "PEPPOL-EN16931-R007")]
    [InlineData("<cbc:BaseQuantity unitCode=\"C62\">2</cbc:BaseQuantity>", "<cbc:BaseQuantity unitCode=\"C62\">0</cbc:BaseQuantity>", "PEPPOL-EN16931-R121")]
    [InlineData("<cbc:BaseQuantity unitCode=\"C62\">2</cbc:BaseQuantity>", "<cbc:BaseQuantity unitCode=\"KGM\">2</cbc:BaseQuantity>", "PEPPOL-EN16931-R130")]
    [InlineData("<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>", "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:Note>one</cbc:Note><cbc:Note>two</cbc:Note>", "PEPPOL-EN16931-R002")]
    [InlineData("<cbc:PaymentMeansCode>30<", "<cbc:PaymentMeansCode>59<", "PEPPOL-EN16931-R061")]
    public void A_single_mistake_is_caught_by_its_rule(string find, string replace, string rule)
    {
        var original = SampleInvoice.Xml();
        Assert.Contains(find, original, StringComparison.Ordinal);

        var report = UblValidator.Validate(new MemoryStream(Encoding.UTF8.GetBytes(original.Replace(find, replace, StringComparison.Ordinal))));

        Assert.Contains(report.Findings, f => f.Rule == rule && f.Severity == FindingSeverity.Fatal);
        Assert.False(report.IsAccepted);
    }
}
