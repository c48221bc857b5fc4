using System.Text;
using Koppel.Core.Domain;
using Koppel.Core.Ingestion;
using Koppel.Core.Tests.Fakes;

namespace Koppel.Core.Tests.Ingestion;

public class IngestHandlerTests
{
    private readonly CoreHarness _harness = new();

    private Task<IngestResult> DropAsync(string fileName, byte[] content, string? dossier = null) =>
        _harness.Ingest.HandleAsync(_harness.Ports.Drop(dossier ?? CoreHarness.DossierId, fileName, content), default);

    [Fact]
    public async Task A_sales_invoice_is_archived_recorded_and_queued_for_each_interested_connection()
    {
        await _harness.SeedAsync();

        var result = await DropAsync("demo-invoice.xml", CoreHarness.Sample("demo-invoice.xml"));

        Assert.Equal(IngestOutcome.Accepted, result.Outcome);
        Assert.Equal(DocumentKind.SalesInvoice, result.Kind);
        Assert.Equal(1, result.DeliveriesQueued);
        Assert.Empty(_harness.Ports.InboxFiles);
        Assert.True(_harness.Ports.ArchiveFiles.ContainsKey(result.DocumentId!));
        var document = await ((Ports.IDocumentRepository)_harness.Ports).GetAsync(CoreHarness.DossierId, result.DocumentId!, default);
        Assert.Equal("KOP-2026-0042", document!.Number);
        Assert.Equal(new DateOnly(2026, 11, 2), document.IssueDate);
        Assert.Equal(246.47m, document.PayableAmount);
        Assert.Equal("Koffiehuis Noord", document.CounterpartyName);
        var pdf = Assert.Single(document.Attachments);
        Assert.Equal("KOP-2026-0042.pdf", pdf.FileName);
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(_harness.Ports.ArchiveFiles[pdf.ContentId]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_credit_note_to_the_dossier_is_a_purchase_document()
    {
        await _harness.SeedAsync();
        var result = await DropAsync("cn.xml", CoreHarness.Sample("demo-credit-note.xml"));
        Assert.Equal(DocumentKind.PurchaseInvoice, result.Kind);
    }

    [Fact]
    public async Task A_coda_file_is_a_bank_statement()
    {
        await _harness.SeedAsync();
        var result = await DropAsync("demo.cod", CoreHarness.Sample("demo.cod"));
        Assert.Equal(DocumentKind.BankStatement, result.Kind);
    }

    [Fact]
    public async Task The_same_bytes_dropped_twice_are_one_document_delivered_once()
    {
        await _harness.SeedAsync();
        var first = await DropAsync("a.xml", CoreHarness.Sample("demo-invoice.xml"));
        var second = await DropAsync("copy-of-a.xml", CoreHarness.Sample("demo-invoice.xml"));
        await _harness.DrainQueueAsync();

        Assert.Equal(IngestOutcome.Duplicate, second.Outcome);
        Assert.Equal(first.DocumentId, second.DocumentId);
        Assert.Single(_harness.Connector.Booked);
        Assert.Empty(_harness.Ports.InboxFiles);
    }

    [Fact]
    public async Task A_file_for_an_unknown_dossier_is_quarantined_not_dropped()
    {
        await _harness.SeedAsync();
        var bytes = CoreHarness.Sample("demo-invoice.xml");
        var result = await DropAsync("x.xml", bytes, dossier: "0876543270");

        Assert.Equal(IngestOutcome.Quarantined, result.Outcome);
        var (reason, content) = Assert.Single(_harness.Ports.Quarantined);
        Assert.Equal(QuarantineCodes.UnknownDossier, reason.Code);
        Assert.Equal(bytes, content);
        Assert.Empty(_harness.Ports.InboxFiles);
    }

    [Fact]
    public async Task A_ubl_with_a_doctype_is_quarantined_for_its_dtd_not_as_an_unknown_format()
    {
        await _harness.SeedAsync();
        var xml = Encoding.UTF8.GetString(CoreHarness.Sample("demo-invoice.xml"));
        var root = xml.IndexOf("<Invoice", StringComparison.Ordinal);
        var withDoctype = string.Concat(xml.AsSpan(0, root), "<!DOCTYPE Invoice [<!ENTITY lol \"lol\">]>", xml.AsSpan(root));

        var result = await DropAsync("doctype.xml", Encoding.UTF8.GetBytes(withDoctype));

        Assert.Equal(IngestOutcome.Quarantined, result.Outcome);
        Assert.Contains("[XML-DTD]", result.Reason!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_utf16_ubl_is_read_like_any_other()
    {
        await _harness.SeedAsync();
        var xml = Encoding.UTF8.GetString(CoreHarness.Sample("demo-invoice.xml")).Replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"", StringComparison.OrdinalIgnoreCase);

        var result = await DropAsync("utf16.xml", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(xml)]);

        Assert.Equal(IngestOutcome.Accepted, result.Outcome);
    }

    [Fact]
    public async Task A_zero_byte_file_is_quarantined_with_its_reason()
    {
        await _harness.SeedAsync();
        var result = await DropAsync("empty.xml", []);
        Assert.Equal(QuarantineCodes.EmptyFile, result.Reason!.Code);
    }

    [Fact]
    public async Task Malformed_xml_is_quarantined_with_line_and_position()
    {
        await _harness.SeedAsync();
        var broken = Encoding.UTF8.GetString(CoreHarness.Sample("demo-invoice.xml")).Replace("</cbc:IssueDate>", "</cbc:IssueDat>", StringComparison.Ordinal);

        var result = await DropAsync("broken.xml", Encoding.UTF8.GetBytes(broken));

        Assert.Equal(QuarantineCodes.Unreadable, result.Reason!.Code);
        Assert.Contains("broken.xml", result.Reason.Message, StringComparison.Ordinal);
        Assert.Matches(@"line \d+, position \d+", result.Reason.Location);
    }

    [Theory]
    [InlineData("30/08/2018")]
    [InlineData("2018-08-30Z")]
    public async Task A_date_Koppel_cannot_read_is_quarantined_naming_the_official_date_rule_and_its_place(string issueDate)
    {
        await _harness.SeedAsync();
        var invoice = Encoding.UTF8.GetString(CoreHarness.Sample("demo-invoice.xml"))
            .Replace("<cbc:IssueDate>2026-11-02</cbc:IssueDate>", $"<cbc:IssueDate>{issueDate}</cbc:IssueDate>", StringComparison.Ordinal);

        var result = await DropAsync("dated.xml", Encoding.UTF8.GetBytes(invoice));

        // Judged like the official artefacts judge it (a rule finding beside the rest), not refused as an unreadable file.
        Assert.Equal(QuarantineCodes.Invalid, result.Reason!.Code);
        Assert.Contains("PEPPOL-EN16931-F001", result.Reason.Message, StringComparison.Ordinal);
        Assert.Contains($"IssueDate is '{issueDate}'", result.Reason.Message, StringComparison.Ordinal);
        Assert.Matches(@"\(at [^)]*line 9\b", result.Reason.Message);
    }

    [Fact]
    public async Task Xml_with_an_external_entity_is_refused()
    {
        await _harness.SeedAsync();
        var xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&x;</ID></Invoice>
            """;

        var result = await DropAsync("xxe.xml", Encoding.UTF8.GetBytes(xxe));

        Assert.Equal(IngestOutcome.Quarantined, result.Outcome);
        Assert.DoesNotContain("root:", result.Reason!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invoice_between_two_other_companies_is_refused_rather_than_booked_in_the_wrong_journal()
    {
        await _harness.SeedAsync();
        var other = Encoding.UTF8.GetString(CoreHarness.Sample("demo-invoice.xml")).Replace("0403170701", "0456789034", StringComparison.Ordinal);

        var result = await DropAsync("other.xml", Encoding.UTF8.GetBytes(other));

        Assert.Equal("NOT-FOR-DOSSIER", result.Reason!.Code);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_quarantined_unread()
    {
        await _harness.SeedAsync();
        var result = await DropAsync("huge.pdf", new byte[(1024 * 1024) + 1]);
        Assert.Equal(QuarantineCodes.TooLarge, result.Reason!.Code);
    }

    [Fact]
    public async Task Every_ingest_leaves_a_run_log_line()
    {
        await _harness.SeedAsync();
        await DropAsync("demo-invoice.xml", CoreHarness.Sample("demo-invoice.xml"));
        await DropAsync("empty.pdf", []);

        var runs = _harness.Ports.Runs.Where(r => r.Category == RunCategory.Ingest).ToList();
        Assert.Contains(runs, r => r.Status == RunStatus.Succeeded && r.ResultText!.Contains("KOP-2026-0042", StringComparison.Ordinal));
        Assert.Contains(runs, r => r.Status == RunStatus.Failed && r.ResultText!.Contains("EMPTY-FILE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invoice_whose_totals_do_not_add_up_is_quarantined_naming_the_official_rule()
    {
        await _harness.SeedAsync();
        var wrong = Encoding.UTF8.GetString(CoreHarness.Sample("demo-invoice.xml"))
            .Replace("<cbc:TaxInclusiveAmount currencyID=\"EUR\">246.47</cbc:TaxInclusiveAmount>", "<cbc:TaxInclusiveAmount currencyID=\"EUR\">250.00</cbc:TaxInclusiveAmount>", StringComparison.Ordinal);

        var result = await DropAsync("wrong-total.xml", Encoding.UTF8.GetBytes(wrong));

        Assert.Equal(QuarantineCodes.Invalid, result.Reason!.Code);
        Assert.Contains("BR-CO-15", result.Reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quarantined_invoice_leaves_none_of_its_attachments_in_the_archive()
    {
        await _harness.SeedAsync();
        var wrong = Encoding.UTF8.GetString(CoreHarness.Sample("demo-invoice.xml"))
            .Replace("<cbc:TaxInclusiveAmount currencyID=\"EUR\">246.47</cbc:TaxInclusiveAmount>", "<cbc:TaxInclusiveAmount currencyID=\"EUR\">250.00</cbc:TaxInclusiveAmount>", StringComparison.Ordinal);

        var result = await DropAsync("wrong-total.xml", Encoding.UTF8.GetBytes(wrong));

        Assert.Equal(IngestOutcome.Quarantined, result.Outcome);
        Assert.Empty(_harness.Ports.ArchiveFiles); // the embedded PDF was read, but nothing of a refused document is kept
    }

    [Fact]
    public async Task The_archive_holds_the_bytes_that_were_validated_even_when_the_producer_replaces_the_file_during_ingest()
    {
        await _harness.SeedAsync();
        var original = CoreHarness.Sample("demo-invoice.xml");
        var replacement = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(original).Replace("KOP-2026-0042", "KOP-2026-0999", StringComparison.Ordinal));
        var item = _harness.Ports.Drop(CoreHarness.DossierId, "invoice.xml", original);
        _harness.Ports.AfterInboxOpened = _ => _harness.Ports.Drop(CoreHarness.DossierId, "invoice.xml", replacement);

        var result = await _harness.Ingest.HandleAsync(item, default);

        Assert.Equal(IngestOutcome.Accepted, result.Outcome);
        Assert.Equal(original, _harness.Ports.ArchiveFiles[result.DocumentId!]);
        var document = await ((Ports.IDocumentRepository)_harness.Ports).GetAsync(CoreHarness.DossierId, result.DocumentId!, default);
        Assert.Equal("KOP-2026-0042", document!.Number);
    }

    [Fact]
    public async Task A_coda_file_of_an_unknown_version_is_quarantined()
    {
        await _harness.SeedAsync();
        var text = Encoding.Latin1.GetString(CoreHarness.Sample("demo.cod"));
        var header = text[..127] + "5" + text[128..];

        var result = await DropAsync("v5.cod", Encoding.Latin1.GetBytes(header));

        Assert.Equal(QuarantineCodes.Unreadable, result.Reason!.Code);
        Assert.Contains("CODA", result.Reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bank_statement_is_recorded_with_its_account_and_closing_balance()
    {
        await _harness.SeedAsync();
        var result = await DropAsync("demo.cod", CoreHarness.Sample("demo.cod"));

        var document = await ((Ports.IDocumentRepository)_harness.Ports).GetAsync(CoreHarness.DossierId, result.DocumentId!, default);
        Assert.Equal(1708.57m, document!.PayableAmount);
        Assert.Equal(new DateOnly(2026, 11, 2), document.IssueDate);
        Assert.StartsWith("BE68539007547034", document.Number, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coda_file_saved_with_a_byte_order_mark_is_still_a_bank_statement()
    {
        await _harness.SeedAsync();
        var result = await DropAsync("bom.cod", [0xEF, 0xBB, 0xBF, .. CoreHarness.Sample("demo.cod")]);
        Assert.Equal(DocumentKind.BankStatement, result.Kind);
    }
}
