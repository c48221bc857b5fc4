using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Koppel.Connectors.Common;
using Koppel.Core.Events;
using Microsoft.Extensions.Options;

namespace Koppel.Webhooks;

/// <summary>
/// Posts one event to one webhook: the CloudEvents JSON as the body, signed (<see cref="WebhookSignature"/>). Every
/// connection goes through the one network guard at connect time (https only, no internal address, no redirects), so
/// a webhook URL whose name later resolves inside the network is refused. Retries are the queue's business, not this
/// client's: one post, one answer.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, TimeProvider clock) : IWebhookSender
{
    public const string ClientName = "Koppel.Webhooks";

    public async Task<WebhookSendResult> SendAsync(WebhookSubscription subscription, PlatformEvent platformEvent, string secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(platformEvent);
        if (subscription.Url.Scheme != Uri.UriSchemeHttps)
        {
            return WebhookSendResult.Failed("Koppel posts only to https URLs.");
        }

        var body = CloudEventFormat.Encode(platformEvent);
        var now = clock.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ReadOnlyMemoryContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(CloudEventFormat.MediaType) { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.IdHeader, platformEvent.Id);
        request.Headers.Add(WebhookSignature.TimestampHeader, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, platformEvent.Id, now, body.Span));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return WebhookSendResult.Ok;
            }

            var retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - now,
                _ => (TimeSpan?)null,
            };
            return WebhookSendResult.Failed($"The webhook answered HTTP {(int)response.StatusCode} ({response.ReasonPhrase}).", retryAfter);
        }
        catch (HttpRequestException ex) when (ex.InnerException is BlockedDestinationException blocked)
        {
            return WebhookSendResult.Failed($"Koppel may not post there: {blocked.Message}");
        }
        catch (HttpRequestException ex)
        {
            return WebhookSendResult.Failed($"The webhook could not be reached: {ex.HttpRequestError}.");
        }
        catch (Exception ex) when (ex is TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            return WebhookSendResult.Failed("The webhook did not answer in time.");
        }
    }

    /// <summary>The connection handler: resolves through the guard and connects to the address it allowed.</summary>
    internal static SocketsHttpHandler CreateHandler(NetworkGuard guard, WebhookHttpOptions options) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        SslOptions = { RemoteCertificateValidationCallback = options.ServerCertificateValidation },
        ConnectCallback = async (context, cancellationToken) =>
        {
            var address = await guard.ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
