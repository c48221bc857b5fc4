using System.Net.Sockets;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Telemetry;
using Renci.SshNet.Common;

namespace Koppel.Connectors.Sftp;

/// <summary>
/// Uploads each document to an SFTP folder that an accounting package imports from, as
/// <c>{uploadPath}/{name}_{delivery}{ext}</c>. Only the document itself is uploaded: import folders read
/// the UBL with its embedded PDF, and a separate PDF would be imported as a second document.
/// </summary>
public sealed class SftpConnector(NetworkGuard guard) : IConnector
{
    public const string ProviderKey = "sftp";

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = ProviderKey,
        DisplayName = "SFTP",
        Capabilities = HandOver.Capabilities,
        Delivers = HandOver.AllKinds,
        Settings = SftpSettings.Fields,
        Notes = "Files are uploaded as a hidden .part file and renamed when complete, so an import job never reads half a file. "
            + "A retry finds a file it already published and does not upload it again. The host key seen on first use is pinned on the connection "
            + "(hostKeySha256) and a server showing another key is refused until someone pins the new one.",
    };

    public async Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        SftpSettings? settings = null;
        try
        {
            settings = SftpSettings.From(context.Settings);
            var name = DeliveryFileName.For(context.Document.FileName, context.DeliveryId, context.Document.Format);
            var remotePath = settings.RemotePathOf(name.FileName);

            // SFTP has no HTTP instrumentation: its own span, naming the server (never the login).
            using var span = KoppelTelemetry.StartChannelCall(KoppelTelemetry.Spans.Sftp, settings.Host, settings.Port);
            using var session = await SftpSession.OpenAsync(settings, guard, cancellationToken);
            await session.UploadAtomicallyAsync(remotePath, context.Document.Size, context.OpenDocumentAsync, cancellationToken);
            var delivered = DeliveryResult.Delivered(remotePath);
            return settings.HostKeySha256 is null ? delivered.WithLearnedSetting(SftpSettings.HostKeySha256Key, session.HostKeyFingerprint) : delivered;
        }
        catch (HostKeyMismatchException e)
        {
            return DeliveryResult.ConnectionBroken(e.Message);
        }
        catch (Exception e) when (SftpFailure.Describe(e, settings, cancellationToken) is { } failure)
        {
            // Refused credentials are the connection's problem, not the document's: its health says so until a person mends it.
            return !failure.IsPermanent ? DeliveryResult.Transient(failure.Reason)
                : e is SshAuthenticationException ? DeliveryResult.ConnectionBroken(failure.Reason)
                : DeliveryResult.Permanent(failure.Reason);
        }
    }

    public async Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        SftpSettings? parsed = null;
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            parsed = SftpSettings.From(settings);
            SftpSession session;
            try
            {
                session = await SftpSession.OpenAsync(parsed, guard, cancellationToken);
            }
            catch (Exception e) when (IsUnreachable(e, cancellationToken))
            {
                await guard.PadFailureAsync(started, TimeProvider.System, cancellationToken);
                return new ConnectionTestResult(false, NetworkGuard.UnreachableMessage(parsed.Host, parsed.Port));
            }

            using (session)
            {
                var pin = parsed.HostKeySha256 is null
                    ? $"The host key {session.HostKeyFingerprint} is now pinned on the connection"
                    : $"The host key matches the pinned fingerprint {session.HostKeyFingerprint}";
                var learned = parsed.HostKeySha256 is null
                    ? new Dictionary<string, string> { [SftpSettings.HostKeySha256Key] = session.HostKeyFingerprint }
                    : [];

                if (!await session.IsFolderAsync(parsed.UploadFolder, cancellationToken))
                {
                    return new ConnectionTestResult(false, $"Logged in to {parsed.Host}:{parsed.Port} as {parsed.Username}, but the upload folder '{parsed.UploadPath}' does not exist. {pin}.") { LearnedSettings = learned };
                }

                return new ConnectionTestResult(true, $"Logged in to {parsed.Host}:{parsed.Port} as {parsed.Username}; the upload folder '{parsed.UploadPath}' exists. {pin}.") { LearnedSettings = learned };
            }
        }
        catch (HostKeyMismatchException e)
        {
            return new ConnectionTestResult(false, e.Message) { CredentialsRejected = true };
        }
        catch (SshAuthenticationException) when (parsed is not null)
        {
            return new ConnectionTestResult(false, $"Authentication failed for user {parsed.Username} at host {parsed.Host}; check the password or private key.") { CredentialsRejected = true };
        }
        catch (Exception e) when (SftpFailure.Describe(e, parsed, cancellationToken) is { } failure)
        {
            return new ConnectionTestResult(false, failure.Reason);
        }
    }

    public void ValidateSettings(ConnectorSettings settings) => SftpSettings.From(settings);

    /// <summary>Could not talk SSH with the server at all (as opposed to: it refused our login or key).</summary>
    private static bool IsUnreachable(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        BlockedDestinationException or SocketException or TimeoutException or SshOperationTimeoutException or SshConnectionException => true,
        _ => false,
    };
}
