using System.Net;
using Koppel.Connectors.Email;
using Koppel.Connectors.Sftp;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Common;

/// <summary>
/// A package whose document API is not public (PingWin, BoCount, Count-e, Wings Online, docs/providers.md §11–14).
/// The connection takes exactly the vendor's own fields, checked on save, so it is ready for the direct API; until the
/// vendor's specification arrives, documents go through the channel the dossier already uses for that package: the
/// package's e-mail import address (the <see cref="EmailConnector"/>) or its SFTP import folder (the <see cref="SftpConnector"/>),
/// configured here under <c>email.*</c> or <c>sftp.*</c>. Each vendor keeps its direct-API client as one isolated,
/// unregistered class.
/// </summary>
internal abstract class PendingApiConnector : IConnector
{
    public const string ChannelKey = "channel";
    public const string EmailAddressKey = "email.address";
    public const string EmailPrefix = "email.";
    public const string SftpPrefix = "sftp.";

    private static readonly DocumentKind[] Kinds = [DocumentKind.SalesInvoice, DocumentKind.PurchaseInvoice];

    private static readonly string[] SmtpKeys =
        [EmailSettings.SmtpHostKey, EmailSettings.SmtpPortKey, EmailSettings.SecurityKey, EmailSettings.UsernameKey, EmailSettings.PasswordKey, EmailSettings.FromKey];

    private static readonly IReadOnlyList<SettingField> ChannelFields =
    [
        new(ChannelKey, "How documents reach the package until its API is available: email (its import mailbox) or sftp (its import folder).", Required: true),
        new(EmailAddressKey, "With channel email: the package's import e-mail address of this dossier."),
        .. EmailSettings.Fields.Where(f => SmtpKeys.Contains(f.Name)).Select(f => f with { Name = EmailPrefix + f.Name, Required = false, Description = "With channel email: " + f.Description }),
        .. SftpSettings.Fields.Select(f => f with { Name = SftpPrefix + f.Name, Required = false, Description = "With channel sftp: " + f.Description }),
    ];

    private readonly NetworkGuard _guard;
    private readonly EmailConnector _email;
    private readonly SftpConnector _sftp;
    private ConnectorDescriptor? _descriptor;

    protected PendingApiConnector(NetworkGuard guard)
    {
        _guard = guard;
        _email = new EmailConnector(guard);
        _sftp = new SftpConnector(guard);
    }

    public ConnectorDescriptor Descriptor => _descriptor ??= new ConnectorDescriptor
    {
        Provider = ProviderKey,
        DisplayName = $"{VendorName} (through e-mail or SFTP until its API is published)",
        Capabilities = ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection,
        Delivers = Kinds.ToDictionary(k => k, _ => DeliveryMode.HandOver),
        Settings = [.. VendorFields, .. ChannelFields],
        Notes = $"{PendingNote} Sales and purchase invoices are handed over as files to the package's own e-mail import address or SFTP import folder, "
            + "as its users do today; nothing is booked and the package sends no receipt.",
    };

    protected abstract string ProviderKey { get; }

    protected abstract string VendorName { get; }

    /// <summary>Exactly the fields the vendor asks for (docs/providers.md).</summary>
    protected abstract IReadOnlyList<SettingField> VendorFields { get; }

    private string PendingNote => $"{VendorName} publishes no document API: the direct API is pending the vendor's specification, and the connection's {VendorName} fields are kept ready for it.";

    /// <summary>Checks the vendor's fields without contacting anyone, adding a problem per bad field.</summary>
    protected abstract void ValidateVendor(ConnectorSettings settings, SettingsProblems problems);

    /// <summary>The user-supplied URLs among the vendor's fields, checked by the network guard at connection test.</summary>
    protected virtual IEnumerable<Uri> VendorUrls(ConnectorSettings settings) => [];

    /// <summary>An https URL whose host is not a loopback, private or link-local literal; the name itself is resolved and checked at test time.</summary>
    protected Uri? HttpsUrl(ConnectorSettings settings, string key, SettingsProblems problems, string meaning)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var text = SettingsReader.Required(settings, key, problems, meaning);
        if (text.Length == 0)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add($"'{key}' must be an https address such as https://firm.example.be/, not '{text}'.");
            return null;
        }

        if (url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && !_guard.IsAllowed(address)))
        {
            problems.Add($"'{key}' leads to an internal address ({url.Host}) that users may not reach.");
            return null;
        }

        return url;
    }

    public void ValidateSettings(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new SettingsProblems();
        ValidateVendor(settings, problems);
        try
        {
            var (channel, channelSettings) = ToChannel(settings);
            channel.ValidateSettings(channelSettings);
        }
        catch (ConnectorConfigurationException e)
        {
            problems.Add(Prefixed(e.Message));
        }

        problems.ThrowIfAny(VendorName);
    }

    public async Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Kinds.Contains(context.Document.Kind))
        {
            return DeliveryResult.Permanent($"{VendorName} connections take sales and purchase invoices, not {context.Document.Kind} documents.");
        }

        IConnector channel;
        ConnectorSettings channelSettings;
        try
        {
            (channel, channelSettings) = ToChannel(context.Settings);
        }
        catch (ConnectorConfigurationException e)
        {
            return DeliveryResult.Permanent(Prefixed(e.Message));
        }

        var document = context.Document;
        var result = await channel.DeliverAsync(
            new DeliveryContext(
                context.DeliveryId,
                context.Dossier,
                context.Connection,
                document,
                channelSettings,
                (contentId, ct) => contentId == document.Id
                    ? context.OpenDocumentAsync(ct)
                    : context.OpenAttachmentAsync(document.Attachments.First(a => a.ContentId == contentId), ct)),
            cancellationToken);
        var mapped = result.Kind switch
        {
            DeliveryResultKind.Delivered or DeliveryResultKind.Deferred => result,
            DeliveryResultKind.Transient => DeliveryResult.Transient(Prefixed(result.Reason!), result.RetryAfter),
            _ when result.ConnectionProblem is not null => DeliveryResult.ConnectionBroken(Prefixed(result.Reason!)),
            _ => DeliveryResult.Permanent(Prefixed(result.Reason!)),
        };
        if (result.LearnedSettings.Count > 0)
        {
            // Learned settings (the SFTP host key seen first) go back under the channel's prefix only.
            var prefix = channel is SftpConnector ? SftpPrefix : EmailPrefix;
            mapped = result.LearnedSettings.Aggregate(result.Kind == DeliveryResultKind.Delivered ? DeliveryResult.Delivered(result.Reference!) : mapped, (r, p) => r.WithLearnedSetting(prefix + p.Key, p.Value));
        }

        return mapped;
    }

    public async Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            ValidateSettings(settings);
            foreach (var url in VendorUrls(settings))
            {
                await _guard.CheckUrlAsync(url, cancellationToken);
            }

            var (channel, channelSettings) = ToChannel(settings);
            var result = await channel.TestConnectionAsync(channelSettings, cancellationToken);
            var prefix = channel is SftpConnector ? SftpPrefix : EmailPrefix;
            return result with
            {
                Message = $"{Prefixed(result.Message)} {PendingNote} Until then Koppel delivers through {(channel is SftpConnector ? "SFTP" : "e-mail")}.",
                LearnedSettings = result.LearnedSettings.ToDictionary(p => prefix + p.Key, p => p.Value),
            };
        }
        catch (ConnectorConfigurationException e)
        {
            return new ConnectionTestResult(false, e.Message);
        }
        catch (BlockedDestinationException e)
        {
            return new ConnectionTestResult(false, e.Message);
        }
    }

    /// <summary>The connection in the terms of its channel's connector: <c>email.*</c> or <c>sftp.*</c> without the prefix.</summary>
    internal (IConnector Channel, ConnectorSettings Settings) ToChannel(ConnectorSettings settings)
    {
        var channel = SettingsReader.Optional(settings, ChannelKey)?.ToLowerInvariant();
        var secretNames = ChannelFields.Where(f => f.Secret).Select(f => f.Name).ToHashSet();
        var options = new Dictionary<string, string>();
        var secrets = new Dictionary<string, string>();
        void Copy(string from, string to)
        {
            if (settings.Get(from) is { } value)
            {
                (secretNames.Contains(from) ? secrets : options)[to] = value;
            }
        }

        switch (channel)
        {
            case "email":
                foreach (var key in SmtpKeys)
                {
                    Copy(EmailPrefix + key, key);
                }

                foreach (var kind in Kinds)
                {
                    Copy(EmailAddressKey, EmailSettings.MailboxPrefix + kind);
                    options[EmailSettings.AttachPrefix + kind] = "original";
                }

                return (_email, new ConnectorSettings(options, secrets) { DocumentKinds = settings.DocumentKinds });
            case "sftp":
                foreach (var field in SftpSettings.Fields)
                {
                    Copy(SftpPrefix + field.Name, field.Name);
                }

                return (_sftp, new ConnectorSettings(options, secrets) { DocumentKinds = settings.DocumentKinds });
            default:
                throw new ConnectorConfigurationException($"'{ChannelKey}' must be email (the package's import mailbox) or sftp (its import folder), not '{channel}'.");
        }
    }

    /// <summary>The channel connectors name their own settings ('smtpHost', 'mailbox.SalesInvoice'); the user set ours.</summary>
    private static string Prefixed(string text)
    {
        foreach (var kind in Kinds)
        {
            text = text.Replace($"'{EmailSettings.MailboxPrefix}{kind}'", $"'{EmailAddressKey}'", StringComparison.Ordinal);
        }

        foreach (var key in SmtpKeys)
        {
            text = text.Replace($"'{key}'", $"'{EmailPrefix}{key}'", StringComparison.Ordinal);
        }

        foreach (var field in SftpSettings.Fields)
        {
            text = text.Replace($"'{field.Name}'", $"'{SftpPrefix}{field.Name}'", StringComparison.Ordinal);
        }

        return text;
    }
}
