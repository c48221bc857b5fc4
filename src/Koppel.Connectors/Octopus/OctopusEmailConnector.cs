using Koppel.Connectors.Common;
using Koppel.Connectors.Email;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Octopus;

/// <summary>
/// Octopus without API access: the e-mail connector preset to the dossier's Octopus mailbox (the "mailbox"
/// address the Octopus client shows per dossier), where mailed invoices and documents land in the Octopus
/// document inbox. The user gives the SMTP server and that one address; every kind goes there as the original file.
/// </summary>
public sealed class OctopusEmailConnector(NetworkGuard guard) : IConnector
{
    public const string ProviderKey = "octopus-email";
    public const string MailboxKey = "mailbox";

    /// <summary>What the Octopus mailbox is known to take (providers.md §4e, §8): invoices and documents, not CODA.</summary>
    private static readonly DocumentKind[] Kinds = [DocumentKind.SalesInvoice, DocumentKind.PurchaseInvoice, DocumentKind.OtherDocument];

    private static readonly string[] PassedThrough =
        [EmailSettings.SmtpHostKey, EmailSettings.SmtpPortKey, EmailSettings.SecurityKey, EmailSettings.UsernameKey, EmailSettings.FromKey];

    private readonly EmailConnector _email = new(guard);

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = ProviderKey,
        DisplayName = "Octopus (by e-mail)",
        Capabilities = ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection,
        Delivers = Kinds.ToDictionary(k => k, _ => DeliveryMode.HandOver),
        Settings =
        [
            new(MailboxKey, "The dossier's Octopus mailbox address (shown in the Octopus client as the dossier's \"mailbox\").", Required: true),
            .. EmailSettings.Fields.Where(f => PassedThrough.Contains(f.Name) || f.Name == EmailSettings.PasswordKey),
        ],
        Notes = "For dossiers without Octopus API access. One message per document to the dossier's Octopus mailbox; the sender must be allowed in Octopus. "
            + "Octopus sends no receipt: a delivered message means the mail server took it. CODA statements are not sent this way; use the Octopus API connection or another channel.",
    };

    private const string NoMailbox = $"Set '{MailboxKey}' to the dossier's Octopus mailbox address (the Octopus client shows it per dossier); without it nothing can be sent.";

    public Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HasMailbox(context.Settings))
        {
            return Task.FromResult(DeliveryResult.Permanent(NoMailbox));
        }

        var preset = new DeliveryContext(
            context.DeliveryId,
            context.Dossier,
            context.Connection,
            context.Document,
            EmailSettingsFor(context.Settings),
            (contentId, ct) => contentId == context.Document.Id
                ? context.OpenDocumentAsync(ct)
                : context.OpenAttachmentAsync(context.Document.Attachments.First(a => a.ContentId == contentId), ct));
        return _email.DeliverAsync(preset, cancellationToken);
    }

    /// <summary>On save: the dossier's Octopus mailbox is set and the e-mail connector's SMTP checks hold.</summary>
    public void ValidateSettings(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!HasMailbox(settings))
        {
            throw new ConnectorConfigurationException(NoMailbox);
        }

        _email.ValidateSettings(EmailSettingsFor(settings));
    }

    public Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return HasMailbox(settings)
            ? _email.TestConnectionAsync(EmailSettingsFor(settings), cancellationToken)
            : Task.FromResult(new ConnectionTestResult(false, NoMailbox));
    }

    private static bool HasMailbox(ConnectorSettings settings) => !string.IsNullOrWhiteSpace(settings.Get(MailboxKey));

    /// <summary>The e-mail connector's settings: the SMTP ones as given, the Octopus mailbox for every kind it takes.</summary>
    internal static ConnectorSettings EmailSettingsFor(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = PassedThrough.Where(k => settings.Get(k) is not null).ToDictionary(k => k, k => settings.Get(k)!);
        if (settings.Get(MailboxKey) is { Length: > 0 } mailbox)
        {
            foreach (var kind in Kinds)
            {
                options[EmailSettings.MailboxPrefix + kind] = mailbox;
            }
        }

        var secrets = settings.Get(EmailSettings.PasswordKey) is { } password
            ? new Dictionary<string, string> { [EmailSettings.PasswordKey] = password }
            : new Dictionary<string, string>();
        return new ConnectorSettings(options, secrets) { DocumentKinds = settings.DocumentKinds };
    }
}
