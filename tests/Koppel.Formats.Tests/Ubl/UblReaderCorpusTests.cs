using Koppel.Formats.Ubl;

namespace Koppel.Formats.Tests.Ubl;

public sealed class UblReaderCorpusTests
{
    [CorpusFact]
    public void Peppol_base_example_yields_header_parties_lines_vat_and_totals()
    {
        var doc = UblReader.Read(Corpus.Ubl("base-example.xml"));

        Assert.Equal(UblDocumentKind.Invoice, doc.Kind);
        Assert.Equal(UblProfile.PeppolBis3, doc.Profile);
        Assert.Equal("urn:fdc:peppol.eu:2017:poacc:billing:01:1.0", doc.ProfileId);
        Assert.Equal("Snippet1", doc.Number);
        Assert.Equal("380", doc.TypeCode);
        Assert.Equal(new DateOnly(2017, 11, 13), doc.IssueDate);
        Assert.Equal(new DateOnly(2017, 12, 1), doc.DueDate);
        Assert.Equal("EUR", doc.DocumentCurrencyCode);
        Assert.Equal("0150abc", doc.BuyerReference);

        Assert.Equal("SupplierTradingName Ltd.", doc.Supplier!.TradingName);
        Assert.Equal("SupplierOfficialName Ltd", doc.Supplier.LegalName);
        Assert.Equal("GB1232434", doc.Supplier.VatNumber);
        Assert.Equal(new UblIdentifier("9482348239847239874", "0088"), doc.Supplier.Endpoint);
        Assert.Equal("GB", doc.Supplier.CountryCode);
        Assert.Equal("London", doc.Supplier.PostalAddress!.CityName);
        Assert.Equal(new UblIdentifier("39937423947", "0183"), doc.Customer!.CompanyId);

        Assert.Equal(2, doc.Lines.Count);
        var second = doc.Lines[1];
        Assert.Equal("2", second.Id);
        Assert.Equal(new UblQuantity(-3m, "DAY"), second.Quantity);
        Assert.Equal(-1500m, second.LineExtensionAmount!.Value);
        Assert.Equal("item name 2", second.ItemName);
        Assert.Equal("S", second.TaxCategory!.Code);
        Assert.Equal(25.0m, second.TaxCategory.Percent);
        Assert.Equal(500m, second.Price!.Amount!.Value);

        var charge = Assert.Single(doc.AllowanceCharges);
        Assert.True(charge.IsCharge);
        Assert.Equal(25m, charge.Amount!.Value);

        var vat = Assert.Single(doc.VatBreakdown);
        Assert.Equal(1325m, vat.TaxableAmount!.Value);
        Assert.Equal(331.25m, vat.TaxAmount!.Value);

        Assert.Equal(1300m, doc.Totals!.LineExtensionAmount!.Value);
        Assert.Equal(1325m, doc.Totals.TaxExclusiveAmount!.Value);
        Assert.Equal(1656.25m, doc.Totals.TaxInclusiveAmount!.Value);
        Assert.Equal(25m, doc.Totals.ChargeTotalAmount!.Value);
        Assert.Equal(1656.25m, doc.Totals.PayableAmount!.Value);

        var payment = Assert.Single(doc.PaymentMeans);
        Assert.Equal("30", payment.Code);
        Assert.Equal("IBAN32423940", payment.Iban);
        Assert.Equal("Snippet1", payment.StructuredCommunication);
    }

    [CorpusFact]
    public void Belgian_ubl_be_invoice_is_recognised_and_its_183694_byte_pdf_is_counted()
    {
        var doc = UblReader.Read(Corpus.Ubl("UBLBE_BE0000000196_V01-15000001.xml"));

        Assert.Equal(UblProfile.UblBe, doc.Profile);
        Assert.Equal("V01/15000001", doc.Number);
        Assert.Equal(new UblIdentifier("0000000196", "0208"), doc.Supplier!.Endpoint);
        Assert.Equal(new UblIdentifier("0000000196", "0208"), doc.Supplier.CompanyId);
        Assert.Equal("BE0000000196", doc.Supplier.VatNumber);
        Assert.Equal("0000000196", doc.Supplier.BelgianEnterpriseNumber);
        Assert.Equal("My Customer Company S.A.", doc.Customer!.TradingName);
        Assert.Equal("BE0000000295", doc.Customer.VatNumber);
        Assert.Equal("BE54000000000097", doc.PaymentMeans[0].Iban);
        Assert.Equal("Invoice 15000001", doc.PaymentMeans[0].PaymentId);

        Assert.Equal("UBL.BE", doc.AdditionalDocumentReferences[0].Id);
        var pdf = Assert.Single(doc.Attachments);
        Assert.Equal("15000001.pdf", pdf.FileName);
        Assert.Equal("application/pdf", pdf.MimeCode);
        Assert.Equal(183_694, pdf.DecodedSize);

        var line = Assert.Single(doc.Lines);
        Assert.Equal(1, line.TaxTotalCount);
        Assert.Equal("03", line.TaxCategory!.Name);
        Assert.Equal(484m, doc.Totals!.PayableAmount!.Value);
    }

    [CorpusFact]
    public void Attachment_sink_receives_the_decoded_pdf_bytes()
    {
        using var captured = new MemoryStream();
        UblAttachmentInfo? seen = null;
        var options = new UblReaderOptions
        {
            AttachmentSink = info =>
            {
                seen = info;
                return captured;
            },
        };

        UblReader.Read(Corpus.Ubl("UBLBE_BE0000000196_V01-15000004.xml"), options);

        Assert.Equal("V01/15000004", seen!.DocumentReferenceId);
        Assert.Equal(183_694, captured.Length);
        Assert.Equal("%PDF-"u8.ToArray(), captured.ToArray()[..5]);
    }

    [CorpusFact]
    public void Italian_invoice_embeds_a_2_46_MB_pdf()
    {
        var doc = UblReader.Read(Corpus.Ubl("FT G2G_TD01 con Allegato, Bonifico e Split Payment.xml"));

        var pdf = Assert.Single(doc.Attachments);
        Assert.Equal(2_464_230, pdf.DecodedSize);
        Assert.Equal("mappatura_ubl_sdi.pdf", pdf.FileName);
    }

    [CorpusFact]
    public void Tc434_example2_has_a_23_byte_text_labelled_as_pdf_and_a_numeric_charge_indicator()
    {
        var doc = UblReader.Read(Corpus.Ubl("ubl-tc434-example2.xml"));

        Assert.Equal(23, Assert.Single(doc.Attachments).DecodedSize);
        Assert.Equal(UblProfile.OtherEn16931, doc.Profile);
        Assert.Contains(doc.AllowanceCharges, ac => ac.ChargeIndicatorText == "0" && ac.IsCharge == false);
    }

    [CorpusFact]
    public void Norwegian_example_reports_rounding_prepaid_and_a_negative_exempt_base()
    {
        var doc = UblReader.Read(Corpus.Ubl("Norwegian-example-1.xml"));

        Assert.Equal(0.22m, doc.Totals!.PayableRoundingAmount!.Value);
        Assert.Equal(1000m, doc.Totals.PrepaidAmount!.Value);
        Assert.Equal(802.00m, doc.Totals.PayableAmount!.Value);
        Assert.Equal(3, doc.VatBreakdown.Count);
        Assert.Equal(-25m, doc.VatBreakdown[2].TaxableAmount!.Value);
        Assert.Equal("E", doc.VatBreakdown[2].Category!.Code);
    }

    [CorpusFact]
    public void Allowance_example_reports_the_vat_total_in_the_tax_currency()
    {
        var doc = UblReader.Read(Corpus.Ubl("Allowance-example.xml"));

        Assert.Equal("SEK", doc.TaxCurrencyCode);
        Assert.Equal(9324.00m, doc.TaxAmountInTaxCurrency);
        Assert.Equal(1225.00m, doc.VatTotal!.TaxAmount!.Value);
        Assert.Equal(1000m, doc.Totals!.PrepaidAmount!.Value);
    }

    [CorpusFact]
    public void Amounts_keep_the_decimals_as_written()
    {
        var doc = UblReader.Read(Corpus.Ubl("Allowance-example.xml"));

        // "4900.0" stays 4900.0 (scale 1): the BR-DEC rules look at how many decimals were written.
        Assert.Equal("4900.0", doc.VatBreakdown[0].TaxableAmount!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [CorpusFact]
    public void Credit_notes_are_read_with_their_own_line_element_and_type_code()
    {
        var doc = UblReader.Read(Corpus.Ubl("base-creditnote-correction.xml"));

        Assert.Equal(UblDocumentKind.CreditNote, doc.Kind);
        Assert.Equal("381", doc.TypeCode);
        Assert.NotEmpty(doc.Lines);
        Assert.All(doc.Lines, l => Assert.NotNull(l.Quantity));
    }

    [CorpusTheory]
    [MemberData(nameof(TopLevelFiles))]
    public void Every_corpus_file_reads_without_error(string fileName)
    {
        var doc = UblReader.Read(Corpus.Ubl(fileName));

        Assert.NotNull(doc.Number);
        Assert.NotEmpty(doc.Lines);
        Assert.NotNull(doc.Totals?.PayableAmount);
    }

    public static TheoryData<string> TopLevelFiles()
    {
        var data = new TheoryData<string>();
        if (Corpus.RootOrNull is null)
        {
            data.Add("(corpus missing)");
            return data;
        }

        foreach (var file in Corpus.TopLevelUblFiles())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }
}
