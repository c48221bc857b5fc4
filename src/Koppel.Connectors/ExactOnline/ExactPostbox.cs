using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;
using Koppel.Formats.Ubl;

namespace Koppel.Connectors.ExactOnline;

/// <summary>
/// Hand-over to the division's digital postbox (<c>mailbox/MailMessagesSent</c> + <c>MailMessageAttachments</c>), where
/// the bookkeeper or Exact's scanning service processes it; the route CODA and scanned invoices take into Exact. The
/// message's subject is deterministic per delivery, so a retry finds the message it sent before and only adds the
/// attachments that are missing.
/// </summary>
internal static class ExactPostbox
{
    /// <summary>MailMessage types (Exact's list): purchase invoice, sales invoice, bank, other.</summary>
    public const int PurchaseMessage = 1000;
    public const int SalesMessage = 1100;
    public const int BankMessage = 2000;
    public const int OtherMessage = 0;

    /// <summary>Attachment types (Exact's list): PDF, e-FFF, bank import (CODA), UBL 2.1.</summary>
    public const int PdfAttachment = 10;
    public const int EfffAttachment = 24;
    public const int BankImportAttachment = 70;
    public const int Ubl21Attachment = 130;

    public static async Task<DeliveryResult> SendAsync(ExactSession session, DeliveryContext context, CancellationToken cancellationToken)
    {
        var document = context.Document;
        var content = await ExactContent.ReadAllAsync(context.OpenDocumentAsync, cancellationToken);
        var files = new List<(string Name, Func<CancellationToken, Task<byte[]>> Read, int Type)>
        {
            (document.FileName, _ => Task.FromResult(content), AttachmentTypeOf(document.Format, content)),
        };
        foreach (var attachment in document.Attachments.Where(a => ExactContent.IsPdf(a.MimeType, a.FileName)))
        {
            files.Add((attachment.FileName, ct => ExactContent.ReadAllAsync(c => context.OpenAttachmentAsync(attachment, c), ct), PdfAttachment));
        }

        var recipient = await session.PostboxAddressAsync(cancellationToken);
        var subject = SubjectFor(context);
        var previous = await session.CallAsync(
            "look-up of earlier postbox messages",
            t => session.Api.SentMessagesAsync(t, session.Division, $"Subject eq {OData.Literal(subject)}", "ID", cancellationToken),
            cancellationToken);

        Guid messageId;
        var attached = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (previous.FirstOrNull is { } sent)
        {
            // An earlier attempt sent the message; see which of its attachments made it.
            messageId = sent.ID;
            var existing = await session.CallAsync(
                "look-up of postbox attachments",
                t => session.Api.MessageAttachmentsAsync(t, session.Division, $"MailMessageID eq {OData.Literal(messageId)}", "ID,AttachmentFileName", cancellationToken),
                cancellationToken);
            attached.UnionWith(existing.Items.Select(a => a.AttachmentFileName ?? string.Empty));
        }
        else
        {
            var message = new ExactNewMailMessage
            {
                RecipientMailbox = recipient,
                Subject = subject,
                Type = MessageTypeOf(document.Kind),
                ForDivision = session.Division,
            };
            var created = await session.CallAsync("postbox message", t => session.Api.SendMessageAsync(t, session.Division, message, cancellationToken), cancellationToken);
            messageId = created.D?.ID ?? throw new ExactFailure(DeliveryResult.Transient("Exact Online accepted the postbox message but did not say its id; Koppel looks it up on the next try."));
        }

        foreach (var (name, read, type) in files.Where(f => !attached.Contains(f.Name)))
        {
            var bytes = await read(cancellationToken);
            await session.CallAsync(
                $"attachment '{name}'",
                t => session.Api.AttachToMessageAsync(t, session.Division, new ExactNewMailAttachment(messageId, name, Convert.ToBase64String(bytes), type), cancellationToken),
                cancellationToken);
        }

        return DeliveryResult.Delivered(messageId.ToString("D"));
    }

    /// <summary>Deterministic per delivery, so a retry can find the message; readable for the bookkeeper.</summary>
    public static string SubjectFor(DeliveryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var what = context.Document.Kind switch
        {
            DocumentKind.SalesInvoice => "Sales invoice",
            DocumentKind.PurchaseInvoice => "Purchase invoice",
            DocumentKind.BankStatement => "Bank statement",
            DocumentKind.ExpenseClaim => "Expense claim",
            _ => "Document",
        };
        var label = context.Document.Number ?? context.Document.FileName;
        var id = context.DeliveryId.Length > 16 ? context.DeliveryId[..16] : context.DeliveryId;
        return $"{what} {label} [koppel {id}]";
    }

    public static int MessageTypeOf(DocumentKind kind) => kind switch
    {
        DocumentKind.SalesInvoice => SalesMessage,

        // Exact's list has no expense type; a receipt is processed like a purchase invoice.
        DocumentKind.PurchaseInvoice or DocumentKind.ExpenseClaim => PurchaseMessage,
        DocumentKind.BankStatement => BankMessage,
        _ => OtherMessage,
    };

    public static int AttachmentTypeOf(DocumentFormat format, byte[] content) => format switch
    {
        DocumentFormat.Coda => BankImportAttachment,
        DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote => IsEfff(content) ? EfffAttachment : Ubl21Attachment,
        _ => PdfAttachment,
    };

    /// <summary>e-FFF is the Belgian UBL profile (UBL.BE); Exact takes it as its own attachment type.</summary>
    private static bool IsEfff(byte[] content)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            return UblReader.Read(stream).Profile == UblProfile.UblBe;
        }
        catch (Koppel.Formats.Findings.DocumentReadException)
        {
            return false;
        }
    }
}

/// <summary>Reading archived content for Exact, whose API takes files only as base64 inside JSON.</summary>
internal static class ExactContent
{
    public static async Task<byte[]> ReadAllAsync(Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        await using var stream = await open(cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    public static bool IsPdf(string? mimeType, string? fileName) =>
        string.Equals(mimeType, "application/pdf", StringComparison.OrdinalIgnoreCase)
        || (fileName?.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) ?? false);
}
