using Koppel.Core.Domain;
using Koppel.Formats.Coda;
using Koppel.Formats.Findings;
using Koppel.Formats.Sniffing;
using Koppel.Formats.Ubl;
using Koppel.Formats.Validation;

namespace Koppel.Core.Ingestion;

/// <summary>
/// Reads the facts Koppel routes on from UBL, CODA and PDF files with the Formats library, streaming.
/// Hostile XML, unreadable files and UBL that breaks a fatal EN 16931 / Peppol / UBL.BE rule are refused
/// with a reason that names the rule and the place.
/// </summary>
public sealed class FormatsDocumentReader(long maxDocumentBytes = 64L * 1024 * 1024, bool rejectInvalid = true) : IDocumentReader
{
    public async Task<DocumentFacts> ReadAsync(
        Stream content,
        string fileName,
        Func<string, string, Stream, CancellationToken, Task<ArchivedAttachment>> storeAttachment,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var buffered = new BufferedStream(content, DocumentSniffer.PrefixLength);
        var prefix = new byte[DocumentSniffer.PrefixLength];
        var read = 0;
        while (read < prefix.Length)
        {
            var n = await buffered.ReadAsync(prefix.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        var format = DocumentSniffer.Sniff(prefix.AsSpan(0, read));
        var whole = new LimitedStream(new PrefixedStream(prefix.AsMemory(0, read), buffered), maxDocumentBytes, fileName);
        try
        {
            return await ReadFormatAsync(format, whole, fileName, storeAttachment, cancellationToken);
        }
        catch (DocumentTooLargeException ex)
        {
            throw new DocumentRejectedException(QuarantineCodes.TooLarge, ex.Message, $"byte {maxDocumentBytes}");
        }
    }

    private async Task<DocumentFacts> ReadFormatAsync(
        DocumentFormat format,
        Stream whole,
        string fileName,
        Func<string, string, Stream, CancellationToken, Task<ArchivedAttachment>> storeAttachment,
        CancellationToken cancellationToken)
    {
        return format switch
        {
            DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote => await ReadUblAsync(whole, format, fileName, storeAttachment, cancellationToken),
            DocumentFormat.Coda => await ReadCodaAsync(whole, fileName, cancellationToken),
            DocumentFormat.Pdf => new DocumentFacts { Format = format },
            DocumentFormat.OtherXml => throw new DocumentRejectedException(QuarantineCodes.UnknownFormat, $"{fileName} is XML but not a UBL 2.1 Invoice or CreditNote (or it declares a DTD, which Koppel refuses).", "line 1"),
            _ => throw new DocumentRejectedException(QuarantineCodes.UnknownFormat, $"{fileName} is neither UBL, CODA nor PDF.", "byte 0"),
        };
    }

    private async Task<DocumentFacts> ReadUblAsync(
        Stream content,
        DocumentFormat format,
        string fileName,
        Func<string, string, Stream, CancellationToken, Task<ArchivedAttachment>> storeAttachment,
        CancellationToken cancellationToken)
    {
        // Embedded files are decoded into self-deleting temporary files while the XML streams by, then archived:
        // memory stays flat whatever the size of the PDF inside the invoice.
        var spooled = new List<(UblAttachmentInfo Info, FileStream Content)>();
        try
        {
            var readerOptions = new UblReaderOptions
            {
                MaxDocumentBytes = maxDocumentBytes,

                // A value the model cannot hold (a date written 30/08/2018) becomes a finding of the rule the official
                // artefacts use (F001, the CEN date rule), named with its place, beside the rest; not a read error.
                RecordUnreadableValues = true,
                AttachmentSink = info =>
                {
                    var spool = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
                    spooled.Add((info, spool));
                    return spool;
                },
            };

            UblDocument document;
            try
            {
                document = await UblReader.ReadAsync(content, readerOptions, cancellationToken);
            }
            catch (DocumentReadException ex)
            {
                var code = ex.Rule == "XML-TOO-LARGE" ? QuarantineCodes.TooLarge : QuarantineCodes.Unreadable;
                throw new DocumentRejectedException(code, $"{fileName}: {ex.Message} [{ex.Rule}]", ex.Line is null ? null : $"line {ex.Line}, position {ex.Position ?? 0}");
            }

            var report = UblValidator.Validate(document, new UblValidationOptions { ReaderOptions = readerOptions });
            var fatal = report.Findings
                .Where(f => f.Severity == FindingSeverity.Fatal)
                .Select(f => f.Location is null ? $"{f.Rule}: {f.Message}" : $"{f.Rule}: {f.Message} (at {f.Location})")
                .ToList();

            var attachments = new List<ArchivedAttachment>();
            foreach (var (info, spool) in spooled)
            {
                spool.Position = 0;
                var name = string.IsNullOrWhiteSpace(info.FileName) ? info.DocumentReferenceId ?? $"attachment-{attachments.Count + 1}" : info.FileName;
                attachments.Add(await storeAttachment(name, info.MimeCode ?? "application/octet-stream", spool, cancellationToken));
            }

            return new DocumentFacts
            {
                Format = format,
                Number = document.Number,
                IssueDate = document.IssueDate,
                Currency = document.DocumentCurrencyCode,
                PayableAmount = document.Totals?.PayableAmount?.Value,
                PaymentReference = document.PaymentMeans.Select(p => p.PaymentId).FirstOrDefault(p => !string.IsNullOrWhiteSpace(p)),
                BillingReferences = [.. document.BillingReferenceIds.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r!.Trim())],
                Supplier = PartyOf(document.Supplier),
                Customer = PartyOf(document.Customer),
                Attachments = attachments,
                FatalFindings = rejectInvalid ? fatal : [],
            };
        }
        finally
        {
            foreach (var (_, spool) in spooled)
            {
                await spool.DisposeAsync();
            }
        }
    }

    private static async Task<DocumentFacts> ReadCodaAsync(Stream content, string fileName, CancellationToken cancellationToken)
    {
        CodaFile coda;
        try
        {
            coda = await CodaReader.ReadAsync(content, null, cancellationToken);
        }
        catch (DocumentReadException ex)
        {
            throw new DocumentRejectedException(QuarantineCodes.Unreadable, $"{fileName}: {ex.Message} [{ex.Rule}]", ex.Line is null ? null : $"line {ex.Line}, position {ex.Position ?? 0}");
        }

        if (coda.Statements.Count == 0)
        {
            throw new DocumentRejectedException(QuarantineCodes.Unreadable, $"{fileName} holds no CODA statement.", "line 1");
        }

        // Integrity warnings (trailer sums, balances) do not refuse a statement: banks and hand-edited files get them wrong.
        var last = coda.Statements[^1];
        return new DocumentFacts
        {
            Format = DocumentFormat.Coda,
            Number = last.CodaSequence is { } sequence ? $"{last.Account}/{sequence:D3}" : last.Account,
            IssueDate = last.NewBalanceDate,
            Currency = last.Currency,
            PayableAmount = last.NewBalance,
        };
    }

    private static PartyFacts? PartyOf(UblParty? party) =>
        party is null
            ? null
            : new PartyFacts(
                party.TradingName ?? party.LegalName,
                party.VatNumber,
                party.CompanyId?.Value,
                party.Endpoint is { } endpoint ? (endpoint.SchemeId is null ? endpoint.Value : $"{endpoint.SchemeId}:{endpoint.Value}") : null);
}
