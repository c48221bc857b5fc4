using System.Net.Sockets;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Telemetry;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Koppel.Connectors.Email;

/// <summary>
/// Sends each document as one message to the mailbox configured for its kind, e.g. the scan mailbox an
/// accounting firm reads invoices from. The Message-ID is derived from the delivery id, so a message resent
/// after a crash mid-send is recognisably the same message and the receiver can drop the duplicate.
/// </summary>
public sealed class EmailConnector(NetworkGuard guard) : IConnector
{
    public const string ProviderKey = "email";

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = ProviderKey,
        DisplayName = "E-mail",
        Capabilities = HandOver.Capabilities,
        Delivers = HandOver.AllKinds,
        Settings = EmailSettings.Fields,
        Notes = "Only kinds with a mailbox (mailbox.{Kind}) are delivered. SMTP cannot tell whether a message arrived before a crash; "
            + "a resend carries the same Message-ID <{deliveryId}@koppel.invalid>, which mailboxes and scan services use to drop duplicates.",
    };

    public async Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        EmailSettings? settings = null;
        try
        {
            settings = EmailSettings.From(context.Settings);
            var kind = context.Document.Kind;
            var mailbox = settings.Mailboxes.GetValueOrDefault(kind) ?? throw new NoMailboxException(kind);

            // SMTP has no HTTP instrumentation: its own span, naming the server (never the login).
            using var span = KoppelTelemetry.StartChannelCall(KoppelTelemetry.Spans.Smtp, settings.SmtpHost, settings.SmtpPort);

            // Connect before opening the archive streams: while the server is down, nothing is read for nothing.
            using var client = await SmtpSender.ConnectAsync(settings, guard, cancellationToken);
            await using var outgoing = await EmailMessageBuilder.BuildAsync(context, settings, mailbox, cancellationToken);
            await SmtpSender.SendAsync(client, outgoing, cancellationToken);
            return DeliveryResult.Delivered(outgoing.Reference);
        }
        catch (Exception e) when (EmailFailure.Describe(e, settings, cancellationToken) is { } failure)
        {
            return failure.IsPermanent ? DeliveryResult.Permanent(failure.Reason) : DeliveryResult.Transient(failure.Reason);
        }
    }

    public async Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        EmailSettings? parsed = null;
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            parsed = EmailSettings.From(settings);
            SmtpClient client;
            try
            {
                client = await SmtpSender.ConnectAsync(parsed, guard, cancellationToken);
            }
            catch (Exception e) when (IsUnreachable(e, cancellationToken))
            {
                await guard.PadFailureAsync(started, TimeProvider.System, cancellationToken);
                return new ConnectionTestResult(false, NetworkGuard.UnreachableMessage(parsed.SmtpHost, parsed.SmtpPort));
            }

            using var connected = client;
            await SmtpSender.QuitQuietlyAsync(client, cancellationToken);

            var login = parsed.Username is null ? "without login" : $"as {parsed.Username}";
            var routes = string.Join("; ", parsed.Mailboxes.Select(m => $"{m.Key} → {m.Value}"));
            var missing = Enum.GetValues<DocumentKind>().Where(k => !parsed.Mailboxes.ContainsKey(k)).ToList();
            var gaps = missing.Count == 0 ? string.Empty : $" Not delivered (no mailbox): {string.Join(", ", missing)}.";
            return new ConnectionTestResult(true, $"Connected to {parsed.SmtpHost}:{parsed.SmtpPort} ({parsed.SecurityName}) {login}. Mailboxes: {routes}.{gaps}");
        }
        catch (AuthenticationException e) when (EmailFailure.Describe(e, parsed, cancellationToken) is { } failure)
        {
            return new ConnectionTestResult(false, failure.Reason) { CredentialsRejected = true };
        }
        catch (Exception e) when (EmailFailure.Describe(e, parsed, cancellationToken) is { } failure)
        {
            return new ConnectionTestResult(false, failure.Reason);
        }
    }

    public void ValidateSettings(ConnectorSettings settings) => EmailSettings.From(settings);

    /// <summary>
    /// Could not talk SMTP with the server at all. Authentication is part of connecting in <see cref="SmtpSender"/>, so
    /// its failure is excluded: it proves a real SMTP server answered.
    /// </summary>
    private static bool IsUnreachable(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        AuthenticationException or SmtpCommandException => false,
        BlockedDestinationException or SocketException or TimeoutException or IOException or SmtpProtocolException or SslHandshakeException => true,
        _ => false,
    };
}
