using System.Net.Sockets;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Renci.SshNet.Common;

namespace Koppel.Connectors.Sftp;

/// <summary>
/// What an SFTP failure means for the delivery: whether a retry can help, and a reason a user understands.
/// Never quotes a secret: reasons are built from host, user and path, and redacted once more for safety.
/// </summary>
internal sealed record SftpFailure(bool IsPermanent, string Reason)
{
    /// <summary>Null for exceptions that are not a delivery failure, such as the caller cancelling.</summary>
    public static SftpFailure? Describe(Exception exception, SftpSettings? settings, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        var server = settings is null ? "the SFTP server" : $"{settings.Host}:{settings.Port}";
        var failure = exception switch
        {
            ConnectorConfigurationException e => Permanent(e.Message),
            BlockedDestinationException e => Permanent(e.Message),
            HostKeyMismatchException e => Permanent(e.Message),
            ExistingFileConflictException e => Permanent(e.Message),
            SshAuthenticationException => Permanent($"authentication failed for user {settings?.Username} at host {settings?.Host}; check the password or private key."),
            SftpPathNotFoundException => Permanent($"the upload folder '{settings?.UploadPath}' does not exist on {server}."),
            SftpPermissionDeniedException => Permanent($"user {settings?.Username} may not write to '{settings?.UploadPath}' on {server}."),
            SocketException e => Transient($"could not connect to {server}: {e.Message}"),
            SshOperationTimeoutException => Transient($"{server} did not answer in time."),
            SshConnectionException e => Transient($"the connection to {server} was lost: {e.Message}"),
            TimeoutException or OperationCanceledException => Transient($"{server} did not answer in time."),
            SshException e => Transient($"{server} reported an error: {e.Message}"),
            IOException e => Transient($"transfer to {server} failed: {e.Message}"),
            _ => null,
        };

        return failure is null || settings is null ? failure : failure with { Reason = settings.Redactor.Redact(failure.Reason) };
    }

    private static SftpFailure Permanent(string reason) => new(true, reason);

    private static SftpFailure Transient(string reason) => new(false, reason);
}
