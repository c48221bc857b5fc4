using System.Text;
using Koppel.Formats.Findings;
using Koppel.Formats.Ubl;

namespace Koppel.Formats.Tests.Ubl;

public sealed class UblReaderHostileInputTests : IDisposable
{
    private readonly string _secretFile = Path.Combine(Path.GetTempPath(), $"koppel-xxe-{Guid.NewGuid():N}.txt");

    public UblReaderHostileInputTests() => File.WriteAllText(_secretFile, "TOP-SECRET");

    public void Dispose() => File.Delete(_secretFile);

    [Fact]
    public void External_entity_pointing_at_a_local_file_is_refused_as_a_dtd()
    {
        var xml = $"""
            <?xml version="1.0"?>
            <!DOCTYPE Invoice [ <!ENTITY xxe SYSTEM "file://{_secretFile}"> ]>
            <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
                     xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
              <cbc:ID>&xxe;</cbc:ID>
            </Invoice>
            """;

        var ex = ReadFails(xml);

        Assert.True(ex.Line == 2, ex.Message);
        Assert.Equal(UblReadRules.Dtd, ex.Rule);
        Assert.DoesNotContain("TOP-SECRET", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Billion_laughs_entity_expansion_is_refused_before_any_expansion()
    {
        var entities = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (var i = 1; i < 10; i++)
        {
            entities.Append(System.Globalization.CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};\">");
        }

        var xml = $"<?xml version=\"1.0\"?>\n<!DOCTYPE Invoice [{entities}]>\n<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">&lol9;</Invoice>";

        var ex = ReadFails(xml);

        Assert.Equal(UblReadRules.Dtd, ex.Rule);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void A_plain_doctype_is_refused()
    {
        var ex = ReadFails(SampleInvoice.Xml(doctype: "\n<!DOCTYPE Invoice>"));

        Assert.Equal(UblReadRules.Dtd, ex.Rule);
    }

    [Fact]
    public void A_root_other_than_invoice_or_credit_note_is_refused_with_its_name()
    {
        var ex = ReadFails("<?xml version=\"1.0\"?>\n<Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"/>");

        Assert.Equal(UblReadRules.NotUbl, ex.Rule);
        Assert.Contains("Order", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void An_invoice_element_in_the_wrong_namespace_is_not_ubl()
    {
        var ex = ReadFails("<Invoice xmlns=\"urn:example:not-ubl\"/>");

        Assert.Equal(UblReadRules.NotUbl, ex.Rule);
    }

    [Fact]
    public void A_truncated_file_is_reported_with_the_line_where_it_stops()
    {
        var xml = SampleInvoice.Xml();
        var truncated = xml[..(xml.Length / 2)];

        var ex = ReadFails(truncated);

        Assert.Equal(UblReadRules.Truncated, ex.Rule);
        Assert.True(ex.Line > 10, $"line was {ex.Line}");
        Assert.Contains("truncated", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Text_that_is_not_xml_is_malformed()
    {
        var ex = ReadFails("this is not xml at all");

        Assert.Equal(UblReadRules.Malformed, ex.Rule);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public void A_document_over_the_size_limit_is_refused_even_from_a_non_seekable_stream()
    {
        var bytes = SampleInvoice.Bytes();
        using var stream = new NonSeekableStream(bytes);

        var ex = Assert.Throws<DocumentReadException>(() =>
            UblReader.Read(stream, new UblReaderOptions { MaxDocumentBytes = 1024 }));

        Assert.Equal(UblReadRules.TooLarge, ex.Rule);
        Assert.Contains("1,024", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Absurdly_deep_nesting_is_refused_quickly_by_reader_and_xsd_pass()
    {
        var xml = new StringBuilder("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\">\n<cac:InvoiceLine>");
        xml.Insert(xml.Length, "<cac:Item>", 100_000).Insert(xml.Length, "</cac:Item>", 100_000).Append("</cac:InvoiceLine></Invoice>");
        var bytes = Encoding.UTF8.GetBytes(xml.ToString());
        var started = System.Diagnostics.Stopwatch.StartNew();

        var read = Assert.Throws<DocumentReadException>(() => UblReader.Read(new MemoryStream(bytes)));
        var xsd = Assert.Throws<DocumentReadException>(() => Koppel.Formats.Validation.XsdValidationLayer.Validate(
            new MemoryStream(bytes),
            new Koppel.Formats.Validation.UblValidationOptions { XsdFolder = Corpus.RootOrNull is null ? null : Corpus.XsdFolder }));

        Assert.Equal(UblReadRules.TooDeep, read.Rule);
        Assert.Equal(2, read.Line);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
        if (Corpus.RootOrNull is not null)
        {
            Assert.Equal(UblReadRules.TooDeep, xsd.Rule);
        }
    }

    [Fact]
    public void An_amount_that_is_not_a_number_names_the_element_and_line()
    {
        var xml = SampleInvoice.Xml().Replace(">302.50</cbc:PayableAmount>", ">three hundred</cbc:PayableAmount>", StringComparison.Ordinal);

        var ex = ReadFails(xml);

        Assert.Equal(UblReadRules.BadNumber, ex.Rule);
        Assert.Contains("PayableAmount", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.Line);
    }

    [Fact]
    public void A_date_that_is_not_a_date_is_refused()
    {
        var xml = SampleInvoice.Xml().Replace("2026-03-02", "02/03/2026", StringComparison.Ordinal);

        Assert.Equal(UblReadRules.BadDate, ReadFails(xml).Rule);
    }

    [Fact]
    public void Broken_base64_in_an_attachment_is_refused()
    {
        var ex = ReadFails(SampleInvoice.Xml(attachmentBase64: "not*base64*at*all"));

        Assert.Equal(UblReadRules.BadBase64, ex.Rule);
    }

    [Fact]
    public void Reading_honours_cancellation()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => UblReader.Read(SampleInvoice.Stream(), cancellationToken: cts.Token));
    }

    [Fact]
    public async Task The_async_entry_point_reads_the_same_document()
    {
        var doc = await UblReader.ReadAsync(SampleInvoice.Stream());

        Assert.Equal("KOP-2026-0001", doc.Number);
        Assert.Equal(2, doc.Lines.Count);
        Assert.Equal(13, Assert.Single(doc.Attachments).DecodedSize);
    }

    private static DocumentReadException ReadFails(string xml)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(xml));
        return Assert.Throws<DocumentReadException>(() => UblReader.Read(stream));
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
