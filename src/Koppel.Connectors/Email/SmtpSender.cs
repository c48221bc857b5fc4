using System.Net.Sockets;
using Koppel.Connectors.Common;
using MailKit.Net.Smtp;

namespace Koppel.Connectors.Email;

/// <summary>Connects to the SMTP server, logs in and sends, with timeouts so a silent server cannot hang a delivery.</summary>
internal static class SmtpSender
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(60);

    /// <exception cref="BlockedDestinationException">The host leads to an address users may not reach.</exception>
    public static async Task<SmtpClient> ConnectAsync(EmailSettings settings, NetworkGuard guard, CancellationToken cancellationToken)
    {
        var address = await guard.ResolveAsync(settings.SmtpHost, cancellationToken);
        var client = new SmtpClient { Timeout = (int)OperationTimeout.TotalMilliseconds };
        Socket? socket = null;
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(ConnectTimeout);

                // MailKit gets a socket already connected to the checked address, so it cannot resolve the name
                // again; the host name still serves for TLS (SNI and certificate check).
                socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(address, settings.SmtpPort, connectTimeout.Token);
                await client.ConnectAsync(socket, settings.SmtpHost, settings.SmtpPort, settings.Security, connectTimeout.Token);
                socket = null;
            }

            if (settings.Username is not null)
            {
                await client.AuthenticateAsync(settings.Username, settings.Password!, cancellationToken);
            }

            return client;
        }
        catch
        {
            socket?.Dispose();
            client.Dispose();
            throw;
        }
    }

    public static async Task SendAsync(SmtpClient client, OutgoingMessage outgoing, CancellationToken cancellationToken)
    {
        // With CHUNKING (BDAT) MailKit has to know the message size up front and writes the message twice,
        // once to measure it: that would read every archive stream twice. Plain DATA reads each once.
        client.Capabilities &= ~(SmtpCapabilities.Chunking | SmtpCapabilities.BinaryMime);
        await client.SendAsync(outgoing.Message, cancellationToken);
        await QuitQuietlyAsync(client, cancellationToken);
    }

    /// <summary>
    /// Once the server has accepted the message (250 after DATA) it is delivered; a failing QUIT must not
    /// turn that into a failure, because the retry would send the message a second time.
    /// </summary>
    public static async Task QuitQuietlyAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or MailKit.ProtocolException or MailKit.CommandException or TimeoutException or OperationCanceledException)
        {
            // Nothing left to do on this connection; disposing the client closes the socket.
        }
    }
}
