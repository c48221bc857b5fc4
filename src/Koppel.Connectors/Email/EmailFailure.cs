using System.Net.Sockets;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Koppel.Connectors.Email;

/// <summary>
/// What an SMTP failure means for the delivery: 4xx and network trouble pass, 5xx and bad credentials do not.
/// Reasons name host, user and mailbox, never the password, and are redacted once more for safety.
/// </summary>
internal sealed record EmailFailure(bool IsPermanent, string Reason)
{
    /// <summary>Null for exceptions that are not a delivery failure, such as the caller cancelling.</summary>
    public static EmailFailure? Describe(Exception exception, EmailSettings? settings, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        var server = settings is null ? "the SMTP server" : $"{settings.SmtpHost}:{settings.SmtpPort}";
        var failure = exception switch
        {
            ConnectorConfigurationException e => Permanent(e.Message),
            BlockedDestinationException e => Permanent(e.Message),
            NoMailboxException e => Permanent(e.Message),
            AuthenticationException e => Permanent($"authentication failed for user {settings?.Username} at {server}: {e.Message}"),
            SmtpCommandException e => Describe(e, server),
            SslHandshakeException => Permanent($"the TLS handshake with {server} failed: check the host name, the port and the security setting (starttls on 587, ssl on 465)."),
            NotSupportedException e => Permanent($"{server} does not support what the settings ask for: {e.Message}"),
            SocketException e => Transient($"could not connect to {server}: {e.Message}"),
            SmtpProtocolException e => Transient($"the conversation with {server} broke off: {e.Message}"),
            ServiceNotConnectedException or ServiceNotAuthenticatedException => Transient($"the connection to {server} was lost."),
            TimeoutException or OperationCanceledException => Transient($"{server} did not answer in time."),
            IOException e => Transient($"the connection to {server} failed: {e.Message}"),
            _ => null,
        };

        return failure is null || settings is null ? failure : failure with { Reason = settings.Redactor.Redact(failure.Reason) };
    }

    private static EmailFailure Describe(SmtpCommandException exception, string server)
    {
        var code = (int)exception.StatusCode;
        var what = exception.ErrorCode switch
        {
            SmtpErrorCode.RecipientNotAccepted => $"{server} refused the recipient {exception.Mailbox}",
            SmtpErrorCode.SenderNotAccepted => $"{server} refused the sender {exception.Mailbox}",
            SmtpErrorCode.MessageNotAccepted => $"{server} refused the message",
            _ => $"{server} answered",
        };
        var reason = $"{what}: {code} {exception.Message}";

        // 4xx means "not now" (greylisting, full queue); 5xx means "never like this".
        return code is >= 400 and < 500 ? Transient(reason) : Permanent(reason);
    }

    private static EmailFailure Permanent(string reason) => new(true, reason);

    private static EmailFailure Transient(string reason) => new(false, reason);
}
