using System.Text;
using Koppel.Formats.Findings;
using Koppel.Formats.Tests.Ubl;
using Koppel.Formats.Validation;

namespace Koppel.Formats.Tests.Validation;

/// <summary>The rules that judge the XML as written (issue 10): empty elements, date format, decimals counted as written, unreadable values.</summary>
public sealed class SyntaxRuleTests
{
    [Fact]
    public void A_date_koppel_cannot_read_is_a_finding_and_the_rest_of_the_invoice_is_still_judged()
    {
        var xml = SampleInvoice.Xml()
            .Replace("<cbc:IssueDate>2026-03-02</cbc:IssueDate>", "<cbc:IssueDate>02/03/2026</cbc:IssueDate>", StringComparison.Ordinal)
            .Replace("<cbc:PayableAmount currencyID=\"EUR\">302.50</cbc:PayableAmount>", "<cbc:PayableAmount currencyID=\"EUR\">300.00</cbc:PayableAmount>", StringComparison.Ordinal);

        var report = Validate(xml);

        Assert.False(report.IsAccepted);
        var en16931 = Fatal(report, En16931Rules.LayerName);
        Assert.Contains("UBL-DATE", en16931);
        Assert.Contains("BR-CO-16", en16931); // the wrong amount due is still found
        Assert.Contains("PEPPOL-EN16931-F001", Fatal(report, PeppolRules.LayerName));
        Assert.Null(report.Document!.IssueDate);
    }

    [Fact]
    public void A_date_with_a_time_zone_is_read_but_breaks_the_peppol_date_format()
    {
        var report = Validate(SampleInvoice.Xml().Replace("<cbc:DueDate>2026-04-01</cbc:DueDate>", "<cbc:DueDate>2026-04-01Z</cbc:DueDate>", StringComparison.Ordinal));

        Assert.Equal(new DateOnly(2026, 4, 1), report.Document!.DueDate);
        Assert.Empty(Fatal(report, En16931Rules.LayerName));
        var finding = Assert.Single(report.Layer(PeppolRules.LayerName).Findings);
        Assert.Equal("PEPPOL-EN16931-F001", finding.Rule);
        Assert.Contains("DueDate", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_element_anywhere_breaks_peppol_r008_with_its_line()
    {
        var report = Validate(SampleInvoice.Xml(extraHeader: "<cbc:Note>  </cbc:Note>"));

        Assert.Empty(Fatal(report, En16931Rules.LayerName));
        var finding = Assert.Single(report.Layer(PeppolRules.LayerName).Findings);
        Assert.Equal("PEPPOL-EN16931-R008", finding.Rule);
        Assert.Contains("Note", finding.Message, StringComparison.Ordinal);
        Assert.StartsWith("line ", finding.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void An_amount_with_whitespace_after_two_decimals_has_three_decimals_as_the_artefact_counts_them()
    {
        var report = Validate(SampleInvoice.Xml().Replace(">302.50</cbc:PayableAmount>", ">302.50 </cbc:PayableAmount>", StringComparison.Ordinal));

        var fatal = Fatal(report, En16931Rules.LayerName);
        Assert.Equal(["BR-DEC-18", "UBL-DT-01"], fatal.Order(StringComparer.Ordinal));
        Assert.Equal(302.50m, report.Document!.Totals!.PayableAmount!.Value);
    }

    [Fact]
    public void A_currency_id_with_a_leading_space_passes_the_cen_code_list_but_not_peppol_cl007()
    {
        var report = Validate(SampleInvoice.Xml().Replace("<cbc:PayableAmount currencyID=\"EUR\">", "<cbc:PayableAmount currencyID=\" EUR\">", StringComparison.Ordinal));

        Assert.DoesNotContain("BR-CL-03", Fatal(report, En16931Rules.LayerName));
        Assert.Contains("PEPPOL-EN16931-CL007", Fatal(report, PeppolRules.LayerName));
    }

    [Fact]
    public void A_unit_code_outside_un_ece_recommendation_20_is_refused_by_the_generated_cen_list()
    {
        var report = Validate(SampleInvoice.Xml().Replace("unitCode=\"HUR\"", "unitCode=\"hur\"", StringComparison.Ordinal));

        Assert.Equal(["BR-CL-23"], Fatal(report, En16931Rules.LayerName));
    }

    [Fact]
    public void A_line_with_two_vat_categories_breaks_ubl_sr_48_although_the_id_looks_like_a_warning()
    {
        const string category = "<cac:ClassifiedTaxCategory>";
        var xml = SampleInvoice.Xml();
        var at = xml.IndexOf(category, StringComparison.Ordinal);
        var end = xml.IndexOf("</cac:ClassifiedTaxCategory>", at, StringComparison.Ordinal) + "</cac:ClassifiedTaxCategory>".Length;
        var report = Validate(xml.Insert(end, xml[at..end]));

        Assert.Contains("UBL-SR-48", Fatal(report, En16931Rules.LayerName));
    }

    private static UblValidationReport Validate(string xml) => UblValidator.Validate(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

    private static List<string> Fatal(UblValidationReport report, string layer) =>
        report.Layer(layer).Findings.Where(f => f.Severity == FindingSeverity.Fatal).Select(f => f.Rule).ToList();
}
