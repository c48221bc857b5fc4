using Koppel.Connectors.Common;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.Sftp;

/// <summary>
/// Uploads each document to an SFTP folder that an accounting package imports from, as
/// <c>{uploadPath}/{name}_{delivery}{ext}</c>. Only the document itself is uploaded: import folders read
/// the UBL with its embedded PDF, and a separate PDF would be imported as a second document.
/// </summary>
public sealed class SftpConnector : IConnector
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
            + "A retry finds a file it already published and does not upload it again. Pin the host key (hostKeySha256) in production.",
    };

    public async Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        SftpSettings? settings = null;
        try
        {
            settings = SftpSettings.From(context.Settings);
            var name = DeliveryFileName.For(context.Document.FileName, context.DeliveryId);
            var remotePath = settings.RemotePathOf(name.FileName);

            using var session = await SftpSession.OpenAsync(settings, cancellationToken);
            await session.UploadAtomicallyAsync(remotePath, context.Document.Size, context.OpenDocumentAsync, cancellationToken);
            return DeliveryResult.Delivered(remotePath);
        }
        catch (Exception e) when (SftpFailure.Describe(e, settings, cancellationToken) is { } failure)
        {
            return failure.IsPermanent ? DeliveryResult.Permanent(failure.Reason) : DeliveryResult.Transient(failure.Reason);
        }
    }

    public async Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        SftpSettings? parsed = null;
        try
        {
            parsed = SftpSettings.From(settings);
            using var session = await SftpSession.OpenAsync(parsed, cancellationToken);
            var pin = parsed.HostKeySha256 is null
                ? $"The host key is not pinned; to pin it, set '{SftpSettings.HostKeySha256Key}' to {session.HostKeyFingerprint}"
                : $"The host key matches the pinned fingerprint {session.HostKeyFingerprint}";

            if (!await session.IsFolderAsync(parsed.UploadFolder, cancellationToken))
            {
                return new ConnectionTestResult(false, $"Logged in to {parsed.Host}:{parsed.Port} as {parsed.Username}, but the upload folder '{parsed.UploadPath}' does not exist. {pin}.");
            }

            return new ConnectionTestResult(true, $"Logged in to {parsed.Host}:{parsed.Port} as {parsed.Username}; the upload folder '{parsed.UploadPath}' exists. {pin}.");
        }
        catch (Exception e) when (SftpFailure.Describe(e, parsed, cancellationToken) is { } failure)
        {
            return new ConnectionTestResult(false, failure.Reason);
        }
    }
}
