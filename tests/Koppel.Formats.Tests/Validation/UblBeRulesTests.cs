using System.Text;
using Koppel.Formats.Findings;
using Koppel.Formats.Tests.Ubl;
using Koppel.Formats.Validation;

namespace Koppel.Formats.Tests.Validation;

public sealed class UblBeRulesTests
{
    private const string UblBeCustomization = "urn:cen.eu:en16931:2017#conformant#urn:UBL.BE:1.0.0.20180214";

    [Fact]
    public void A_ubl_be_invoice_without_its_conventions_gets_warnings_but_is_not_rejected()
    {
        var report = Validate(AsUblBe(SampleInvoice.Xml()));

        var layer = report.Layer(UblBeRules.LayerName);
        Assert.Equal(ValidationLayerStatus.Passed, layer.Status);
        Assert.All(layer.Findings, f => Assert.Equal(FindingSeverity.Warning, f.Severity));
        Assert.Contains(layer.Findings, f => f.Rule == UblBeRules.SoftwareReferenceRule);
        Assert.Equal(2, layer.Findings.Count(f => f.Rule == UblBeRules.LineVatRule));
        Assert.True(report.IsAccepted);
    }

    [Fact]
    public void A_ubl_be_invoice_is_never_failed_for_not_being_peppol()
    {
        var report = Validate(AsUblBe(SampleInvoice.Xml()));

        Assert.Equal(ValidationLayerStatus.Skipped, report.Layer(PeppolRules.LayerName).Status);
        Assert.DoesNotContain(report.Findings, f => f.Rule == "PEPPOL-EN16931-R004");
    }

    [Fact]
    public void A_belgian_tax_category_name_must_match_its_rate()
    {
        var xml = AsUblBe(SampleInvoice.Xml()).Replace("<cbc:ID>S</cbc:ID>\n        <cbc:Percent>21</cbc:Percent>", "<cbc:ID>S</cbc:ID>\n        <cbc:Name>01</cbc:Name>\n        <cbc:Percent>21</cbc:Percent>", StringComparison.Ordinal);

        var report = Validate(xml);

        Assert.Contains(report.Layer(UblBeRules.LayerName).Findings, f => f.Rule == UblBeRules.TaxCategoryNameRule && f.Message.Contains("means 6%", StringComparison.Ordinal));
    }

    [Fact]
    public void An_invalid_enterprise_number_fails_the_ubl_be_layer()
    {
        var xml = AsUblBe(SampleInvoice.Xml()).Replace($">{SampleInvoice.CustomerEnterpriseNumber}</cbc:CompanyID>", ">0739484059</cbc:CompanyID>", StringComparison.Ordinal);

        var report = Validate(xml);

        var layer = report.Layer(UblBeRules.LayerName);
        Assert.Equal(ValidationLayerStatus.Failed, layer.Status);
        Assert.Contains(layer.Findings, f => f.Rule == "PEPPOL-COMMON-R043" && f.Location == "/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID");
    }

    private static string AsUblBe(string xml) =>
        xml.Replace("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0", UblBeCustomization, StringComparison.Ordinal);

    private static UblValidationReport Validate(string xml) =>
        UblValidator.Validate(new MemoryStream(Encoding.UTF8.GetBytes(xml)));
}
