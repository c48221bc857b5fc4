using Koppel.Connectors.Common;
using Koppel.Connectors.Email;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Yuki;

/// <summary>
/// Yuki without an API key: every Yuki administration has document e-mail addresses whose mail Yuki's recognition
/// processes. This is the e-mail connector with Yuki's addresses per kind (purchase, sales, CODA, other documents)
/// and a From address, as Billit offers it for Yuki dossiers without a web-service key.
/// </summary>
public sealed class YukiEmailConnector(NetworkGuard guard) : IConnector
{
    public const string ProviderKey = "yuki-email";

    public const string PurchaseAddressKey = "purchaseAddress";
    public const string SalesAddressKey = "salesAddress";
    public const string CodaAddressKey = "codaAddress";
    public const string OtherDocumentsAddressKey = "otherDocumentsAddress";
    public const string ExpenseClaimAddressKey = "expenseClaimAddress";

    private static readonly Dictionary<DocumentKind, string> AddressKeys = new()
    {
        [DocumentKind.PurchaseInvoice] = PurchaseAddressKey,
        [DocumentKind.SalesInvoice] = SalesAddressKey,
        [DocumentKind.BankStatement] = CodaAddressKey,
        [DocumentKind.OtherDocument] = OtherDocumentsAddressKey,
        [DocumentKind.ExpenseClaim] = ExpenseClaimAddressKey,
    };

    /// <summary>The SMTP part of the e-mail connector's settings, taken over as they are.</summary>
    private static readonly string[] SmtpKeys =
        [EmailSettings.SmtpHostKey, EmailSettings.SmtpPortKey, EmailSettings.SecurityKey, EmailSettings.UsernameKey, EmailSettings.FromKey];

    private readonly EmailConnector _email = new(guard);

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = ProviderKey,
        DisplayName = "Yuki (by e-mail, without API key)",
        Capabilities = HandOver.Capabilities,
        Delivers = HandOver.AllKinds,
        Settings =
        [
            .. EmailSettings.Fields.Where(f => SmtpKeys.Contains(f.Name) || f.Name == EmailSettings.PasswordKey),
            new(PurchaseAddressKey, "Yuki's e-mail address for purchase documents of this administration."),
            new(SalesAddressKey, "Yuki's e-mail address for sales documents of this administration."),
            new(CodaAddressKey, "Yuki's e-mail address for CODA bank statements."),
            new(OtherDocumentsAddressKey, "Yuki's e-mail address for other documents."),
            new(ExpenseClaimAddressKey, "Address for expense claims; when empty they go to the other-documents address."),
        ],
        Notes = "For Yuki administrations without a web-service key: each document is mailed to the Yuki address of its kind and Yuki's "
            + "recognition processes it. Only the document itself is attached (a UBL carries its PDF; a second PDF would be read as a second "
            + "document). Yuki must accept the From address. Nothing is booked and Koppel cannot see what Yuki made of it.",
    };

    public async Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var document = context.Document;
        var asEmail = new DeliveryContext(
            context.DeliveryId,
            context.Dossier,
            context.Connection,
            document,
            ToEmailSettings(context.Settings),
            (contentId, ct) => contentId == document.Id
                ? context.OpenDocumentAsync(ct)
                : context.OpenAttachmentAsync(document.Attachments.First(a => a.ContentId == contentId), ct));
        var result = await _email.DeliverAsync(asEmail, cancellationToken);
        return result.Reason is null ? result : result.Kind switch
        {
            DeliveryResultKind.Permanent => DeliveryResult.Permanent(InYukiTerms(result.Reason)),
            DeliveryResultKind.Transient => DeliveryResult.Transient(InYukiTerms(result.Reason), result.RetryAfter),
            _ => result,
        };
    }

    /// <summary>On save: the e-mail connector's checks (SMTP host, port, security, From, addresses), in Yuki's setting names.</summary>
    public void ValidateSettings(ConnectorSettings settings)
    {
        try
        {
            _email.ValidateSettings(ToEmailSettings(settings));
        }
        catch (ConnectorConfigurationException e)
        {
            throw new ConnectorConfigurationException(InYukiTerms(e.Message), e);
        }
    }

    public async Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        var result = await _email.TestConnectionAsync(ToEmailSettings(settings), cancellationToken);
        return result with { Message = InYukiTerms(result.Message) };
    }

    /// <summary>The e-mail connector names its own settings (mailbox.SalesInvoice); the user set ours (salesAddress).</summary>
    internal static string InYukiTerms(string text)
    {
        foreach (var (kind, key) in AddressKeys)
        {
            text = text.Replace(EmailSettings.MailboxPrefix + kind, key, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The same connection in the e-mail connector's terms: Yuki's addresses become its mailboxes.</summary>
    internal static ConnectorSettings ToEmailSettings(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new Dictionary<string, string>();
        foreach (var key in SmtpKeys)
        {
            if (settings.Get(key) is { } value)
            {
                options[key] = value;
            }
        }

        foreach (var kind in Enum.GetValues<DocumentKind>())
        {
            var address = SettingsReader.Optional(settings, AddressKeys[kind])
                ?? (kind == DocumentKind.ExpenseClaim ? SettingsReader.Optional(settings, OtherDocumentsAddressKey) : null);
            if (address is not null)
            {
                options[EmailSettings.MailboxPrefix + kind] = address;
            }

            options[EmailSettings.AttachPrefix + kind] = "original";
        }

        var secrets = settings.Get(EmailSettings.PasswordKey) is { Length: > 0 } password
            ? new Dictionary<string, string> { [EmailSettings.PasswordKey] = password }
            : new Dictionary<string, string>();
        return new ConnectorSettings(options, secrets) { DocumentKinds = settings.DocumentKinds };
    }
}
