using System.Net.Sockets;
using System.Text;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Koppel.Connectors.Sftp;

/// <summary>
/// One logged-in SFTP connection, with the host key check and the upload-then-rename that makes a file
/// appear only when it is complete.
/// </summary>
internal sealed class SftpSession : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(60);

    private readonly SftpClient _client;
    private readonly List<IDisposable> _credentials;

    private SftpSession(SftpClient client, List<IDisposable> credentials, string hostKeyFingerprint)
    {
        _client = client;
        _credentials = credentials;
        HostKeyFingerprint = hostKeyFingerprint;
    }

    /// <summary>The SHA-256 fingerprint of the host key the server showed, to pin it.</summary>
    public string HostKeyFingerprint { get; }

    /// <exception cref="HostKeyMismatchException">The server's key is not the pinned one.</exception>
    /// <exception cref="ConnectorConfigurationException">The private key cannot be read.</exception>
    /// <exception cref="BlockedDestinationException">The host leads to an address users may not reach.</exception>
    public static async Task<SftpSession> OpenAsync(SftpSettings settings, NetworkGuard guard, CancellationToken cancellationToken)
    {
        // Connect to the address the guard checked, so a second DNS answer cannot lead somewhere else.
        var address = await guard.ResolveAsync(settings.Host, cancellationToken);
        var credentials = new List<IDisposable>();
        SftpClient? client = null;
        try
        {
            var methods = CreateAuthenticationMethods(settings, credentials);
            var connectionInfo = new ConnectionInfo(address.ToString(), settings.Port, settings.Username, methods) { Timeout = ConnectTimeout };
            client = new SftpClient(connectionInfo) { OperationTimeout = OperationTimeout };

            // Not pinned: trust on first use; the connector then pins the key it saw on the connection.
            string? observed = null;
            var rejected = false;
            client.HostKeyReceived += (_, e) =>
            {
                observed = e.FingerPrintSHA256;
                e.CanTrust = settings.HostKeySha256 is null
                    || string.Equals(SftpSettings.NormalizeFingerprint(observed), settings.HostKeySha256, StringComparison.Ordinal);
                rejected = !e.CanTrust;
            };

            try
            {
                await client.ConnectAsync(cancellationToken);
            }
            catch (SshConnectionException) when (rejected)
            {
                // SSH.NET only says the key exchange failed; we know why.
                throw new HostKeyMismatchException(settings.Host, settings.HostKeySha256!, observed!);
            }

            var session = new SftpSession(client, credentials, observed ?? string.Empty);
            client = null;
            return session;
        }
        catch
        {
            client?.Dispose();
            credentials.ForEach(c => c.Dispose());
            throw;
        }
    }

    /// <summary>Size of a remote file, or null when there is none.</summary>
    public async Task<long?> SizeOfAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var attributes = await _client.GetAttributesAsync(path, cancellationToken);
            return attributes.Size;
        }
        catch (SftpPathNotFoundException)
        {
            return null;
        }
    }

    public async Task<bool> IsFolderAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var attributes = await _client.GetAttributesAsync(path, cancellationToken);
            return attributes.IsDirectory;
        }
        catch (SftpPathNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Publishes a file under <paramref name="finalPath"/> unless this delivery already did: the bytes go to a
    /// hidden <c>.part</c> file in the same folder (replacing one a crash left), which is then renamed.
    /// </summary>
    /// <exception cref="ExistingFileConflictException">Another file of another size has the name.</exception>
    public async Task<WriteOutcome> UploadAtomicallyAsync(
        string finalPath,
        long expectedSize,
        Func<CancellationToken, Task<Stream>> openSource,
        CancellationToken cancellationToken)
    {
        if (await IsAlreadyPresentAsync(finalPath, expectedSize, cancellationToken))
        {
            return WriteOutcome.AlreadyPresent;
        }

        var slash = finalPath.LastIndexOf('/');
        var partPath = finalPath[..(slash + 1)] + DeliveryFileName.PartNameFor(finalPath[(slash + 1)..]);
        await using (var source = await openSource(cancellationToken))
        {
            // Overwrites a .part file a crashed attempt left behind.
            await _client.UploadFileAsync(source, partPath, true, null, cancellationToken);
        }

        try
        {
            await _client.RenameFileAsync(partPath, finalPath, cancellationToken);
        }
        catch (SshException) when (!cancellationToken.IsCancellationRequested)
        {
            // SFTP rename refuses an existing target: maybe a parallel attempt of this delivery won the race.
            if (!await IsAlreadyPresentAsync(finalPath, expectedSize, cancellationToken))
            {
                throw;
            }

            await _client.DeleteFileAsync(partPath, cancellationToken);
            return WriteOutcome.AlreadyPresent;
        }

        return WriteOutcome.Written;
    }

    public void Dispose()
    {
        try
        {
            if (_client.IsConnected)
            {
                _client.Disconnect();
            }
        }
        catch (Exception e) when (e is SshException or SocketException or IOException or ObjectDisposedException)
        {
            // The work is done (or already failed) by now: a broken goodbye must neither turn a delivered
            // file into a failure, which would be retried, nor hide the exception that is on its way out.
        }

        _client.Dispose();
        _credentials.ForEach(c => c.Dispose());
    }

    private async Task<bool> IsAlreadyPresentAsync(string finalPath, long expectedSize, CancellationToken cancellationToken)
    {
        var size = await SizeOfAsync(finalPath, cancellationToken);
        return size switch
        {
            null => false,
            var s when s == expectedSize => true,
            var s => throw new ExistingFileConflictException(finalPath, s.Value, expectedSize),
        };
    }

    private static AuthenticationMethod[] CreateAuthenticationMethods(SftpSettings settings, List<IDisposable> owned)
    {
        var methods = new List<AuthenticationMethod>();
        if (settings.PrivateKey is not null)
        {
            var keyFile = ReadPrivateKey(settings);
            owned.Add(keyFile);
            var method = new PrivateKeyAuthenticationMethod(settings.Username, keyFile);
            owned.Add(method);
            methods.Add(method);
        }

        if (settings.Password is not null)
        {
            var method = new PasswordAuthenticationMethod(settings.Username, settings.Password);
            owned.Add(method);
            methods.Add(method);
        }

        return [.. methods];
    }

    private static PrivateKeyFile ReadPrivateKey(SftpSettings settings)
    {
        try
        {
            using var keyText = new MemoryStream(Encoding.UTF8.GetBytes(settings.PrivateKey!));
            return new PrivateKeyFile(keyText, settings.PrivateKeyPassphrase);
        }
        catch (Exception e) when (e is SshException or FormatException or ArgumentException or InvalidOperationException or NotSupportedException or System.Security.Cryptography.CryptographicException)
        {
            // The library's message may quote the key; ours says what to fix without it.
            throw new ConnectorConfigurationException(
                $"'{SftpSettings.PrivateKeyKey}' could not be read: it must be an OpenSSH or PEM private key, and '{SftpSettings.PrivateKeyPassphraseKey}' must be its passphrase if it is encrypted.");
        }
    }
}
