using System.Text.RegularExpressions;
using Koppel.Connectors.Common;
using Koppel.Connectors.Email;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using MimeKit;

namespace Koppel.Connectors.Lyanthe;

/// <summary>
/// Lyanthe's mailroom (docs/providers.md §15), a preset of the e-mail connector: each dossier has a mailroom address
/// <c>&lt;10-digit id&gt;-99@&lt;domain&gt;</c>; the kind of document is routed either by suffix letters added to
/// that address or by a keyword in the subject. Lyanthe wants one document of one type per mail, no BCC and no
/// mixed file types, so every message carries only the document itself.
/// </summary>
public sealed partial class LyantheEmailConnector(NetworkGuard guard) : IConnector
{
    public const string ProviderKey = "lyanthe";
    public const string MailboxKey = "mailbox";
    public const string RoutingKey = "routing";
    public const string RoutePrefix = "route.";

    /// <summary>The kinds Lyanthe's routing knows: sales, purchase, diverse and bank statements.</summary>
    private static readonly DocumentKind[] Kinds = [DocumentKind.SalesInvoice, DocumentKind.PurchaseInvoice, DocumentKind.OtherDocument, DocumentKind.BankStatement];

    private static readonly string[] SmtpKeys =
        [EmailSettings.SmtpHostKey, EmailSettings.SmtpPortKey, EmailSettings.SecurityKey, EmailSettings.UsernameKey, EmailSettings.FromKey];

    private readonly EmailConnector _email = new(guard);

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = ProviderKey,
        DisplayName = "Lyanthe (mailroom, by e-mail)",
        Capabilities = ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection,
        Delivers = Kinds.ToDictionary(k => k, _ => DeliveryMode.HandOver),
        Settings =
        [
            .. EmailSettings.Fields.Where(f => SmtpKeys.Contains(f.Name) || f.Name == EmailSettings.PasswordKey),
            new(MailboxKey, "The dossier's Lyanthe mailroom address, <10-digit id>-99@<Lyanthe domain>.", Required: true),
            new(RoutingKey, "How Lyanthe tells the kinds apart: suffix (letters added to the address, before the @) or subject (a keyword in the subject).", DefaultValue: "subject"),
            .. Kinds.Select(kind => new SettingField(RoutePrefix + kind, $"Suffix letters or subject keyword Lyanthe routes {EmailWording.KindName(kind)}s by; without one, this kind is not sent.")),
        ],
        Notes = "Lyanthe publishes no API; this is its mailroom. One message per document, with only the document itself (no extra PDF: Lyanthe wants one file type per mail), "
            + "no BCC. Lyanthe sends no receipt: a delivered message means the mail server took it.",
    };

    public Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ConnectorSettings email;
        try
        {
            email = ToEmailSettings(context.Settings);
        }
        catch (ConnectorConfigurationException e)
        {
            return Task.FromResult(DeliveryResult.Permanent(e.Message));
        }

        var preset = new DeliveryContext(
            context.DeliveryId,
            context.Dossier,
            context.Connection,
            context.Document,
            email,
            (contentId, ct) => contentId == context.Document.Id
                ? context.OpenDocumentAsync(ct)
                : context.OpenAttachmentAsync(context.Document.Attachments.First(a => a.ContentId == contentId), ct));
        return Renamed(_email.DeliverAsync(preset, cancellationToken));
    }

    /// <summary>On save: the mailroom address, the routing, a route for every kind the connection takes, and the SMTP checks.</summary>
    public void ValidateSettings(ConnectorSettings settings)
    {
        try
        {
            _email.ValidateSettings(ToEmailSettings(settings));
        }
        catch (ConnectorConfigurationException e)
        {
            throw new ConnectorConfigurationException(InLyantheTerms(e.Message), e);
        }
    }

    public async Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _email.TestConnectionAsync(ToEmailSettings(settings), cancellationToken);
            return result with { Message = InLyantheTerms(result.Message) };
        }
        catch (ConnectorConfigurationException e)
        {
            return new ConnectionTestResult(false, InLyantheTerms(e.Message));
        }
    }

    /// <summary>
    /// The same connection in the e-mail connector's terms: per routed kind, the mailroom address (with its suffix)
    /// or the address plus a subject keyword, and the original file only. Lyanthe's own settings are checked here.
    /// </summary>
    internal static ConnectorSettings ToEmailSettings(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new SettingsProblems();
        var mailboxText = SettingsReader.Required(settings, MailboxKey, problems, "the dossier's Lyanthe mailroom address");
        MailboxAddress? mailbox = null;
        if (mailboxText.Length > 0)
        {
            if (!MailboxAddress.TryParse(mailboxText, out mailbox) || mailbox.LocalPart is not { } local || !MailroomLocalPart().IsMatch(local))
            {
                problems.Add($"'{MailboxKey}' must be the dossier's mailroom address of the form <10-digit id>-99@<domain>, not '{mailboxText}'.");
                mailbox = null;
            }
        }

        var routing = (SettingsReader.Optional(settings, RoutingKey) ?? "subject").ToLowerInvariant();
        if (routing is not ("subject" or "suffix"))
        {
            problems.Add($"'{RoutingKey}' must be subject or suffix, not '{routing}'.");
        }

        var options = SmtpKeys.Where(k => settings.Get(k) is not null).ToDictionary(k => k, k => settings.Get(k)!);
        foreach (var kind in Kinds)
        {
            options[EmailSettings.AttachPrefix + kind] = "original";
            if (SettingsReader.Optional(settings, RoutePrefix + kind) is not { } route || mailbox is null)
            {
                continue;
            }

            if (routing == "suffix")
            {
                if (!SuffixLetters().IsMatch(route))
                {
                    problems.Add($"'{RoutePrefix}{kind}' must be one to five letters or digits added to the address, not '{route}'.");
                    continue;
                }

                options[EmailSettings.MailboxPrefix + kind] = $"{mailbox.LocalPart}{route}@{mailbox.Domain}";
            }
            else
            {
                options[EmailSettings.MailboxPrefix + kind] = mailbox.Address;
                options[EmailSettings.SubjectKeywordPrefix + kind] = route;
            }
        }

        problems.ThrowIfAny("Lyanthe");
        var secrets = settings.Get(EmailSettings.PasswordKey) is { Length: > 0 } password
            ? new Dictionary<string, string> { [EmailSettings.PasswordKey] = password }
            : new Dictionary<string, string>();
        return new ConnectorSettings(options, secrets) { DocumentKinds = settings.DocumentKinds };
    }

    /// <summary>The e-mail connector names its mailboxes (mailbox.PurchaseInvoice); the user set routes (route.PurchaseInvoice).</summary>
    internal static string InLyantheTerms(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var kind in Kinds)
        {
            text = text.Replace(EmailSettings.MailboxPrefix + kind, RoutePrefix + kind, StringComparison.Ordinal)
                .Replace(EmailSettings.SubjectKeywordPrefix + kind, RoutePrefix + kind, StringComparison.Ordinal);
        }

        return text.Replace("The e-mail connection", "The Lyanthe connection", StringComparison.Ordinal);
    }

    private static async Task<DeliveryResult> Renamed(Task<DeliveryResult> delivery)
    {
        var result = await delivery;
        return result.Reason is null ? result : result.Kind switch
        {
            DeliveryResultKind.Permanent => DeliveryResult.Permanent(InLyantheTerms(result.Reason)),
            DeliveryResultKind.Transient => DeliveryResult.Transient(InLyantheTerms(result.Reason), result.RetryAfter),
            _ => result,
        };
    }

    [GeneratedRegex("^[0-9]{10}-99$")]
    private static partial Regex MailroomLocalPart();

    [GeneratedRegex("^[A-Za-z0-9]{1,5}$")]
    private static partial Regex SuffixLetters();
}
