using System.Text;
using Koppel.Formats.Findings;
using Koppel.Formats.Tests.Ubl;
using Koppel.Formats.Ubl;
using Koppel.Formats.Validation;

namespace Koppel.Formats.Tests.Validation;

public sealed class UblValidatorTests
{
    [Fact]
    public void A_correct_belgian_peppol_invoice_passes_every_rule_layer()
    {
        var report = UblValidator.Validate(SampleInvoice.Stream());

        Assert.True(report.IsAccepted, string.Join("\n", report.Findings));
        Assert.Empty(report.Findings);
        Assert.Equal(ValidationLayerStatus.Passed, report.Layer(En16931Rules.LayerName).Status);
        Assert.Equal(ValidationLayerStatus.Passed, report.Layer(PeppolRules.LayerName).Status);
        Assert.Equal(ValidationLayerStatus.Skipped, report.Layer(UblBeRules.LayerName).Status);
    }

    [CorpusFact]
    public void The_generated_invoice_is_also_valid_against_the_ubl_xsd()
    {
        var report = UblValidator.Validate(SampleInvoice.Stream(), new UblValidationOptions { XsdFolder = Corpus.XsdFolder });

        Assert.Equal(ValidationLayerStatus.Passed, report.Layer(XsdValidationLayer.LayerName).Status);
    }

    [CorpusFact]
    public void An_element_out_of_schema_order_is_an_xsd_error_with_line_and_position()
    {
        var xml = SampleInvoice.Xml().Replace("<cbc:BuyerReference>PO-778</cbc:BuyerReference>", string.Empty, StringComparison.Ordinal)
            .Replace("<cbc:IssueDate>", "<cbc:BuyerReference>PO-778</cbc:BuyerReference><cbc:IssueDate>", StringComparison.Ordinal);

        var report = UblValidator.Validate(new MemoryStream(Encoding.UTF8.GetBytes(xml)), new UblValidationOptions { XsdFolder = Corpus.XsdFolder });

        var xsd = report.Layer(XsdValidationLayer.LayerName);
        Assert.Equal(ValidationLayerStatus.Failed, xsd.Status);
        var finding = Assert.Single(xsd.Findings);
        Assert.Equal(FindingSeverity.Fatal, finding.Severity);
        Assert.StartsWith("line 8, position", finding.Location, StringComparison.Ordinal);
    }

    [CorpusFact]
    public void A_non_seekable_upload_is_spooled_so_both_xsd_and_rules_run()
    {
        using var upload = new NonSeekableStream(SampleInvoice.Bytes());

        var report = UblValidator.Validate(upload, new UblValidationOptions { XsdFolder = Corpus.XsdFolder });

        Assert.Equal(ValidationLayerStatus.Passed, report.Layer(XsdValidationLayer.LayerName).Status);
        Assert.Equal("KOP-2026-0001", report.Document!.Number);
    }

    [CorpusFact]
    public async Task The_cached_schema_set_serves_concurrent_validations()
    {
        var options = new UblValidationOptions { XsdFolder = Corpus.XsdFolder };
        var files = Corpus.TopLevelUblFiles().Where(f => new FileInfo(f).Length < 300_000).ToList();

        var reports = await Task.WhenAll(files.Select(file => Task.Run(() =>
        {
            using var stream = File.OpenRead(file);
            return UblValidator.Validate(stream, options);
        })));

        Assert.All(reports, r => Assert.Equal(ValidationLayerStatus.Passed, r.Layer(XsdValidationLayer.LayerName).Status));
    }

    [Fact]
    public void A_wrong_amount_due_is_reported_with_the_rule_and_the_element_path()
    {
        var xml = SampleInvoice.Xml().Replace(">302.50</cbc:PayableAmount>", ">320.50</cbc:PayableAmount>", StringComparison.Ordinal);

        var report = Validate(xml);

        var finding = Assert.Single(report.Findings);
        Assert.Equal("BR-CO-16", finding.Rule);
        Assert.Equal(FindingSeverity.Fatal, finding.Severity);
        Assert.Equal("/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount", finding.Location);
        Assert.False(report.IsAccepted);
    }

    [Fact]
    public void The_documents_own_totals_are_reported_as_written_even_when_wrong()
    {
        var xml = SampleInvoice.Xml().Replace(">302.50</cbc:PayableAmount>", ">320.50</cbc:PayableAmount>", StringComparison.Ordinal);

        var report = Validate(xml);

        Assert.Equal(320.50m, report.Document!.Totals!.PayableAmount!.Value);
    }

    [Fact]
    public void A_line_whose_net_amount_does_not_match_quantity_times_price_names_that_line()
    {
        var xml = SampleInvoice.Xml().Replace(">50.00</cbc:LineExtensionAmount>", ">55.00</cbc:LineExtensionAmount>", StringComparison.Ordinal);

        var report = Validate(xml);

        var r120 = Assert.Single(report.Findings, f => f.Rule == "PEPPOL-EN16931-R120");
        Assert.Equal("/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount", r120.Location);

        // The line sum no longer matches the header either.
        Assert.Contains(report.Findings, f => f.Rule == "BR-CO-10");
    }

    [Fact]
    public void An_invalid_belgian_enterprise_number_fails_peppol_common_r043()
    {
        var xml = SampleInvoice.Xml().Replace(
            $"<cbc:EndpointID schemeID=\"0208\">{SampleInvoice.SupplierEnterpriseNumber}</cbc:EndpointID>",
            "<cbc:EndpointID schemeID=\"0208\">0000000197</cbc:EndpointID>",
            StringComparison.Ordinal);

        var report = Validate(xml);

        var finding = Assert.Single(report.Findings);
        Assert.Equal("PEPPOL-COMMON-R043", finding.Rule);
        Assert.Equal("/Invoice/cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", finding.Location);
    }

    [Fact]
    public void A_standard_rated_line_without_a_rate_breaks_br_s_05()
    {
        var xml = SampleInvoice.Xml().Replace(
            "<cbc:Name>Cables</cbc:Name>\n      <cac:ClassifiedTaxCategory>\n        <cbc:ID>S</cbc:ID>\n        <cbc:Percent>21</cbc:Percent>",
            "<cbc:Name>Cables</cbc:Name>\n      <cac:ClassifiedTaxCategory>\n        <cbc:ID>S</cbc:ID>",
            StringComparison.Ordinal);

        var report = Validate(xml);

        Assert.Contains(report.Findings, f => f.Rule == "BR-S-05" && f.Location == "/Invoice/cac:InvoiceLine[2]/cac:Item/cac:ClassifiedTaxCategory");
    }

    [Fact]
    public void An_unknown_currency_is_a_code_list_error()
    {
        var xml = SampleInvoice.Xml().Replace("<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>", "<cbc:DocumentCurrencyCode>EUX</cbc:DocumentCurrencyCode>", StringComparison.Ordinal);

        var report = Validate(xml);

        Assert.Contains(report.Findings, f => f.Rule == "BR-CL-04");
    }

    [Fact]
    public void Validating_an_already_read_document_reports_the_xsd_layer_as_skipped()
    {
        var document = UblReader.Read(SampleInvoice.Stream());

        var report = UblValidator.Validate(document);

        Assert.Equal(ValidationLayerStatus.Skipped, report.Layer(XsdValidationLayer.LayerName).Status);
        Assert.True(report.IsAccepted);
    }

    [Fact]
    public void A_missing_xsd_folder_is_skipped_with_a_reason_rather_than_passed()
    {
        var report = UblValidator.Validate(SampleInvoice.Stream(), new UblValidationOptions { XsdFolder = "/nonexistent/ubl-xsd" });

        var xsd = report.Layer(XsdValidationLayer.LayerName);
        Assert.Equal(ValidationLayerStatus.Skipped, xsd.Status);
        Assert.Contains("/nonexistent/ubl-xsd", xsd.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0000000196", true)]
    [InlineData("0739484052", true)]
    [InlineData("0739484059", false)]
    [InlineData("07399999484052", false)]
    [InlineData("ABC", false)]
    [InlineData("", false)]
    public void Belgian_enterprise_numbers_are_checked_with_mod_97(string number, bool valid) =>
        Assert.Equal(valid, BelgianEnterpriseNumber.IsValid(number));

    private static UblValidationReport Validate(string xml) =>
        UblValidator.Validate(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
