using System.Globalization;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;
using MimeKit;

namespace Koppel.Connectors.Email;

/// <summary>
/// A message ready to send, with the archive streams its attachments read from. The streams stay open until
/// the message is sent, so the bytes flow from the archive to the SMTP server without being held in memory.
/// </summary>
internal sealed class OutgoingMessage : IAsyncDisposable
{
    private readonly List<Stream> _openStreams;

    public OutgoingMessage(MimeMessage message, List<Stream> openStreams)
    {
        Message = message;
        _openStreams = openStreams;
    }

    public MimeMessage Message { get; }

    /// <summary>The Message-ID with its angle brackets, as the receiving mailbox shows it: the delivery's reference.</summary>
    public string Reference => $"<{Message.MessageId}>";

    public async ValueTask DisposeAsync()
    {
        foreach (var stream in _openStreams)
        {
            await stream.DisposeAsync();
        }

        Message.Dispose();
    }
}

/// <summary>
/// Maps one document to one message: to the mailbox of its kind, with the files its attachment choice asks for,
/// and a Message-ID derived from the delivery id so a message resent after a crash can be recognised as the same.
/// </summary>
internal static class EmailMessageBuilder
{
    public const string MessageIdDomain = "koppel.invalid";

    public static string MessageIdFor(string deliveryId) => $"{deliveryId}@{MessageIdDomain}";

    public static async Task<OutgoingMessage> BuildAsync(
        DeliveryContext context,
        EmailSettings settings,
        InternetAddressList mailbox,
        CancellationToken cancellationToken)
    {
        var document = context.Document;
        var message = new MimeMessage
        {
            MessageId = MessageIdFor(context.DeliveryId),
            Subject = SubjectOf(context, settings),
            Date = DateTimeOffset.UtcNow,
        };
        message.From.Add(settings.Sender);
        message.To.AddRange(mailbox);
        message.Headers.Add("X-Koppel-Delivery-Id", context.DeliveryId);

        var streams = new List<Stream>();
        try
        {
            var body = new Multipart("mixed") { new TextPart("plain") { Text = BodyOf(context) } };
            var choice = settings.Attachments.GetValueOrDefault(document.Kind, AttachmentChoice.Original);
            var pdfs = document.Attachments.Where(IsPdf).ToList();

            if (choice != AttachmentChoice.Pdf || pdfs.Count == 0)
            {
                var stream = await SeekableContent.EnsureSeekableAsync(await context.OpenDocumentAsync(cancellationToken), cancellationToken);
                streams.Add(stream);
                body.Add(Attachment(DeliveryFileName.WithFormatExtension(document.FileName, document.Format), MimeTypeOf(document.Format), stream));
            }

            if (choice != AttachmentChoice.Original)
            {
                foreach (var pdf in pdfs)
                {
                    var stream = await SeekableContent.EnsureSeekableAsync(await context.OpenAttachmentAsync(pdf, cancellationToken), cancellationToken);
                    streams.Add(stream);
                    body.Add(Attachment(pdf.FileName, "application/pdf", stream));
                }
            }

            message.Body = body;
            return new OutgoingMessage(message, streams);
        }
        catch
        {
            await new OutgoingMessage(message, streams).DisposeAsync();
            throw;
        }
    }

    private static string SubjectOf(DeliveryContext context, EmailSettings settings) =>
        (settings.SubjectKeywords.TryGetValue(context.Document.Kind, out var keyword) ? keyword + " " : string.Empty)
        + $"{context.Dossier.Name} – {EmailWording.Capitalized(context.Document.Kind)} {context.Document.Number ?? context.Document.FileName}";

    private static string BodyOf(DeliveryContext context)
    {
        var document = context.Document;
        var facts = new List<string>();
        if (document.CounterpartyName is not null)
        {
            facts.Add(document.CounterpartyName);
        }

        if (document.IssueDate is { } date)
        {
            facts.Add(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (document.PayableAmount is { } amount)
        {
            facts.Add($"{document.Currency} {amount.ToString("0.00", CultureInfo.InvariantCulture)}".Trim());
        }

        var about = facts.Count == 0 ? string.Empty : $" ({string.Join(", ", facts)})";
        return $"""
            Attached: {EmailWording.KindName(document.Kind)} {document.Number ?? document.FileName}{about} for {context.Dossier.Name} ({context.Dossier.EnterpriseNumber}).

            Sent by Koppel. Delivery {context.DeliveryId}; a message with the same Message-ID is a resend of the same document.
            """;
    }

    /// <summary>Base64 keeps the bytes exact and lets MimeKit stream the content without inspecting it first.</summary>
    private static MimePart Attachment(string fileName, string mimeType, Stream content) =>
        new(MimeType(mimeType))
        {
            Content = new MimeContent(content),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = fileName[(fileName.LastIndexOfAny(['/', '\\']) + 1)..],
        };

    private static ContentType MimeType(string mimeType) =>
        ContentType.TryParse(mimeType, out var type) ? type : new ContentType("application", "octet-stream");

    private static bool IsPdf(ArchivedAttachment attachment) =>
        attachment.MimeType.Equals("application/pdf", StringComparison.OrdinalIgnoreCase)
        || attachment.FileName.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase);

    private static string MimeTypeOf(DocumentFormat format) => format switch
    {
        DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote or DocumentFormat.OtherXml => "application/xml",
        DocumentFormat.Pdf => "application/pdf",
        DocumentFormat.Coda => "text/plain",
        _ => "application/octet-stream",
    };
}
