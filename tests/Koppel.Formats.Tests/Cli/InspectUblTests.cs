using System.Text.Json;

namespace Koppel.Formats.Tests.Cli;

public sealed class InspectUblTests
{
    [CorpusFact]
    public void Json_for_a_Peppol_invoice_carries_parties_totals_and_tax_breakdown()
    {
        var run = CliRun.Of("inspect", "--json", SharedCorpus.Path("ubl/base-example.xml"));

        Assert.Equal(0, run.ExitCode);
        var json = Assert.Single(run.JsonLines);
        Assert.Equal("ubl", json.GetProperty("format").GetString());
        Assert.Equal("invoice", json.GetProperty("kind").GetString());
        Assert.Equal("380", json.GetProperty("typeCode").GetString());
        Assert.Equal("Snippet1", json.GetProperty("number").GetString());
        Assert.Equal("2017-11-13", json.GetProperty("issueDate").GetString());
        Assert.Equal("EUR", json.GetProperty("currency").GetString());
        Assert.Equal("peppol-bis3", json.GetProperty("profile").GetString());
        var supplier = json.GetProperty("supplier");
        Assert.Equal("SupplierTradingName Ltd.", supplier.GetProperty("name").GetString());
        Assert.Equal("SupplierOfficialName Ltd", supplier.GetProperty("legalName").GetString());
        Assert.Equal("GB1232434", supplier.GetProperty("vat").GetString());
        Assert.Equal("0088:9482348239847239874", supplier.GetProperty("endpoint").GetString());
        Assert.Equal("0002:FR23342", json.GetProperty("customer").GetProperty("endpoint").GetString());
        Assert.Equal(2, json.GetProperty("lineCount").GetInt32());
        var totals = json.GetProperty("totals");
        Assert.Equal(1300m, totals.GetProperty("lineExtension").GetDecimal());
        Assert.Equal(JsonValueKind.Null, totals.GetProperty("allowances").ValueKind);
        Assert.Equal(25m, totals.GetProperty("charges").GetDecimal());
        Assert.Equal(331.25m, totals.GetProperty("tax").GetDecimal());
        Assert.Equal(1656.25m, totals.GetProperty("payable").GetDecimal());
        var tax = Assert.Single(json.GetProperty("taxBreakdown").EnumerateArray());
        Assert.Equal(("S", 25m, 1325m, 331.25m), (tax.GetProperty("category").GetString(), tax.GetProperty("rate").GetDecimal(), tax.GetProperty("taxable").GetDecimal(), tax.GetProperty("tax").GetDecimal()));
        Assert.Equal(0, json.GetProperty("findings").GetArrayLength());
    }

    [CorpusFact]
    public void Json_for_a_UBL_BE_credit_note_lists_its_embedded_pdf()
    {
        var json = Assert.Single(CliRun.Of("inspect", "--json", SharedCorpus.Path("ubl/UBLBE_BE0000000196_V01-15000002.xml")).JsonLines);

        Assert.Equal("credit-note", json.GetProperty("kind").GetString());
        Assert.Equal("ubl-be", json.GetProperty("profile").GetString());
        Assert.Equal("0208:0000000196", json.GetProperty("supplier").GetProperty("endpoint").GetString());
        var attachment = Assert.Single(json.GetProperty("attachments").EnumerateArray());
        Assert.Equal("15000002.pdf", attachment.GetProperty("fileName").GetString());
        Assert.Equal("application/pdf", attachment.GetProperty("mimeType").GetString());
        Assert.Equal(183_694, attachment.GetProperty("size").GetInt64());
    }

    [CorpusFact]
    public void Validation_findings_are_listed_and_the_file_still_counts_as_read()
    {
        var directory = Directory.CreateTempSubdirectory("koppel-cli-");
        try
        {
            var original = File.ReadAllText(SharedCorpus.Path("ubl/base-example.xml"));
            var broken = Path.Combine(directory.FullName, "wrong-total.xml");
            File.WriteAllText(broken, original.Replace(">1656.25</cbc:PayableAmount>", ">9999.99</cbc:PayableAmount>", StringComparison.Ordinal));

            var run = CliRun.Of("inspect", "--json", broken);

            Assert.Equal(0, run.ExitCode);
            var findings = Assert.Single(run.JsonLines).GetProperty("findings").EnumerateArray().ToList();
            Assert.NotEmpty(findings);
            Assert.All(findings, f => Assert.False(string.IsNullOrEmpty(f.GetProperty("rule").GetString())));
            Assert.Contains(findings, f => f.GetProperty("severity").GetString() == "fatal");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [CorpusFact]
    public void Truncated_invoice_exits_with_1_and_names_the_line()
    {
        var directory = Directory.CreateTempSubdirectory("koppel-cli-");
        try
        {
            var original = File.ReadAllText(SharedCorpus.Path("ubl/base-example.xml"));
            var truncated = Path.Combine(directory.FullName, "truncated.xml");
            File.WriteAllText(truncated, original[..(original.Length / 2)]);

            var run = CliRun.Of("inspect", truncated);

            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith(truncated + ":", run.Error, StringComparison.Ordinal);
            Assert.Contains("error XML-", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [CorpusFact]
    public void Summary_for_people_shows_number_parties_and_payable_amount()
    {
        var run = CliRun.Of("inspect", SharedCorpus.Path("ubl/base-example.xml"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("UBL invoice Snippet1 of 2017-11-13, profile peppol-bis3", run.Output, StringComparison.Ordinal);
        Assert.Contains("payable 1,656.25 EUR", run.Output, StringComparison.Ordinal);
    }
}
