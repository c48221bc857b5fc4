using System.Net;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using MailKit.Security;
using MimeKit;

namespace Koppel.Connectors.Email;

/// <summary>Which files travel with the message of one document kind.</summary>
public enum AttachmentChoice
{
    /// <summary>The document as received (the UBL XML, the CODA file, the PDF).</summary>
    Original,

    /// <summary>The document plus its embedded PDFs as separate attachments: scan mailboxes of accounting firms read the PDF.</summary>
    OriginalAndPdf,

    /// <summary>Only the embedded PDFs; the document itself when it has none.</summary>
    Pdf,
}

/// <summary>
/// Settings of an e-mail connection: the SMTP server, the sender, and one mailbox (and attachment choice)
/// per document kind. The password is a secret: never in <see cref="ToString"/>, results or messages.
/// </summary>
public sealed class EmailSettings
{
    public const string SmtpHostKey = "smtpHost";
    public const string SmtpPortKey = "smtpPort";
    public const string SecurityKey = "security";
    public const string UsernameKey = "username";
    public const string PasswordKey = "password";
    public const string FromKey = "from";
    public const string MailboxPrefix = "mailbox.";
    public const string AttachPrefix = "attach.";
    public const string SubjectKeywordPrefix = "subjectKeyword.";

    public const int DefaultPort = 587;
    public const int DefaultSslPort = 465;

    private static readonly Dictionary<string, SecureSocketOptions> SecurityChoices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["starttls"] = SecureSocketOptions.StartTls,
        ["ssl"] = SecureSocketOptions.SslOnConnect,
        ["none"] = SecureSocketOptions.None,
    };

    private static readonly Dictionary<string, AttachmentChoice> AttachmentChoices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["original"] = AttachmentChoice.Original,
        ["original+pdf"] = AttachmentChoice.OriginalAndPdf,
        ["pdf"] = AttachmentChoice.Pdf,
    };

    private EmailSettings()
    {
    }

    public string SmtpHost { get; private init; } = string.Empty;

    public int SmtpPort { get; private init; } = DefaultPort;

    public SecureSocketOptions Security { get; private init; } = SecureSocketOptions.StartTls;

    /// <summary>Null when the server takes mail without logging in.</summary>
    public string? Username { get; private init; }

    public string? Password { get; private init; }

    public MailboxAddress Sender { get; private init; } = new(string.Empty, string.Empty);

    /// <summary>Where each kind goes; a kind missing here is not delivered.</summary>
    public IReadOnlyDictionary<DocumentKind, InternetAddressList> Mailboxes { get; private init; } = new Dictionary<DocumentKind, InternetAddressList>();

    public IReadOnlyDictionary<DocumentKind, AttachmentChoice> Attachments { get; private init; } = new Dictionary<DocumentKind, AttachmentChoice>();

    /// <summary>A word put in front of the subject per kind, for mailrooms that route by subject (e.g. Lyanthe).</summary>
    public IReadOnlyDictionary<DocumentKind, string> SubjectKeywords { get; private init; } = new Dictionary<DocumentKind, string>();

    internal SecretRedactor Redactor => new(Password);

    public static IReadOnlyList<SettingField> Fields { get; } =
    [
        new(SmtpHostKey, "Host name of the SMTP server that sends the messages.", Required: true),
        new(SmtpPortKey, "TCP port of the SMTP server (465 when security is ssl).", DefaultValue: DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new(SecurityKey, "starttls (upgrade after connecting), ssl (TLS from the start) or none (only for a server on this machine).", DefaultValue: "starttls"),
        new(UsernameKey, "User to log in to the SMTP server as; leave empty when it takes mail without login."),
        new(PasswordKey, "Password of the SMTP user.", Secret: true),
        new(FromKey, "Sender address of the messages, e.g. \"Koppel <invoices@example.be>\".", Required: true),
        .. Enum.GetValues<DocumentKind>().Select(kind => new SettingField(
            MailboxPrefix + kind, $"Mailbox (or comma-separated mailboxes) that receives each {EmailWording.KindName(kind)}; without one, this kind is not delivered.")),
        .. Enum.GetValues<DocumentKind>().Select(kind => new SettingField(
            AttachPrefix + kind, $"What a {EmailWording.KindName(kind)} message carries: original, original+pdf (the document and its embedded PDFs) or pdf (only the PDFs, the document when there is none).", DefaultValue: "original")),
        .. Enum.GetValues<DocumentKind>().Select(kind => new SettingField(
            SubjectKeywordPrefix + kind, $"Optional word put in front of the subject of each {EmailWording.KindName(kind)} message, for mailrooms that route by subject.")),
    ];

    public static EmailSettings From(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new SettingsProblems();

        var host = SettingsReader.Host(settings, SmtpHostKey, problems, "the SMTP server");
        var security = ReadSecurity(settings, host, problems);
        var port = SettingsReader.Port(settings, SmtpPortKey, security == SecureSocketOptions.SslOnConnect ? DefaultSslPort : DefaultPort, problems);

        var username = SettingsReader.Optional(settings, UsernameKey);
        var password = settings.Get(PasswordKey) is { Length: > 0 } secret ? secret : null;
        if (username is not null && password is null)
        {
            problems.Add($"'{PasswordKey}' is required when '{UsernameKey}' is set.");
        }
        else if (username is null && password is not null)
        {
            problems.Add($"'{UsernameKey}' is required when '{PasswordKey}' is set.");
        }

        var fromText = SettingsReader.Required(settings, FromKey, problems, "the sender address");
        var from = new MailboxAddress(string.Empty, string.Empty);
        if (fromText.Length > 0 && !MailboxAddress.TryParse(fromText, out from))
        {
            problems.Add($"'{FromKey}' is not an e-mail address: '{fromText}'.");
        }

        var mailboxes = new Dictionary<DocumentKind, InternetAddressList>();
        var attachments = new Dictionary<DocumentKind, AttachmentChoice>();
        var keywords = new Dictionary<DocumentKind, string>();
        foreach (var kind in Enum.GetValues<DocumentKind>())
        {
            if (SettingsReader.Optional(settings, MailboxPrefix + kind) is { } mailboxText)
            {
                if (InternetAddressList.TryParse(mailboxText, out var list) && list.Mailboxes.Any())
                {
                    mailboxes[kind] = list;
                    if (list.Mailboxes.FirstOrDefault(m => IsExactPostbox(m.Address)) is { } postbox)
                    {
                        problems.Add($"'{MailboxPrefix}{kind}' is an Exact Online digital postbox ({postbox.Address}), and that is not an e-mail address: mail sent there never arrives. "
                            + "Deliver to Exact with an exact-online connection (postbox mode) instead.");
                    }
                }
                else
                {
                    problems.Add($"'{MailboxPrefix}{kind}' is not an e-mail address (or a comma-separated list of them): '{mailboxText}'.");
                }
            }

            if (SettingsReader.Optional(settings, SubjectKeywordPrefix + kind) is { } keyword)
            {
                if (keyword.Any(char.IsControl) || keyword.Length > 60)
                {
                    problems.Add($"'{SubjectKeywordPrefix}{kind}' must be one line of at most 60 characters.");
                }
                else
                {
                    keywords[kind] = keyword;
                }
            }

            var attachText = SettingsReader.Optional(settings, AttachPrefix + kind) ?? "original";
            if (AttachmentChoices.TryGetValue(attachText, out var choice))
            {
                attachments[kind] = choice;
            }
            else
            {
                problems.Add($"'{AttachPrefix}{kind}' must be original, original+pdf or pdf, not '{attachText}'.");
            }
        }

        foreach (var kind in settings.DocumentKinds.Where(k => !mailboxes.ContainsKey(k)).Order())
        {
            problems.Add($"'{MailboxPrefix}{kind}' is required: the connection takes {EmailWording.KindName(kind)}s but has no mailbox for them.");
        }

        if (mailboxes.Count == 0 && settings.DocumentKinds.Count == 0)
        {
            problems.Add($"Set at least one mailbox ({MailboxPrefix}SalesInvoice, {MailboxPrefix}PurchaseInvoice, …): without one, nothing is delivered.");
        }

        problems.ThrowIfAny("e-mail");
        return new EmailSettings
        {
            SmtpHost = host,
            SmtpPort = port,
            Security = security,
            Username = username,
            Password = password,
            Sender = from!,
            Mailboxes = mailboxes,
            Attachments = attachments,
            SubjectKeywords = keywords,
        };
    }

    public string SecurityName => SecurityChoices.First(c => c.Value == Security).Key;

    public override string ToString() =>
        $"smtp://{(Username is null ? string.Empty : Username + "@")}{SmtpHost}:{SmtpPort} ({SecurityName}) from {Sender.Address}";

    private static SecureSocketOptions ReadSecurity(ConnectorSettings settings, string host, SettingsProblems problems)
    {
        var text = SettingsReader.Optional(settings, SecurityKey) ?? "starttls";
        if (!SecurityChoices.TryGetValue(text, out var security))
        {
            problems.Add($"'{SecurityKey}' must be starttls, ssl or none, not '{text}'.");
            return SecureSocketOptions.StartTls;
        }

        if (security == SecureSocketOptions.None && host.Length > 0 && !IsLoopback(host))
        {
            // Without TLS the password and the invoices would cross the network in clear text.
            problems.Add($"'{SecurityKey}' none is only allowed for a server on this machine (localhost, 127.0.0.1, ::1), not for '{host}'; use starttls or ssl.");
        }

        return security;
    }

    /// <summary>Exact Online's postbox addresses (<c>…@…exactonline.be</c>, .nl, …) look like e-mail but are not reachable by SMTP.</summary>
    internal static bool IsExactPostbox(string address)
    {
        var at = address.LastIndexOf('@');
        var domain = at < 0 ? string.Empty : address[(at + 1)..].ToLowerInvariant();
        return domain.StartsWith("exactonline.", StringComparison.Ordinal) || domain.Contains(".exactonline.", StringComparison.Ordinal);
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
