using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Core;
using Koppel.Azure.Queues;
using Koppel.Core.Domain;
using Koppel.Core.Ports;

namespace Koppel.Azure.ServiceBus;

/// <summary>
/// Sends delivery work to Azure Service Bus through its REST API (the Service Bus SDK is not available to this
/// build). Session id = dossier keeps a dossier's deliveries in order; message id = delivery id (+ attempt) lets
/// duplicate detection drop a second copy.
/// </summary>
public sealed class ServiceBusRestWorkQueue : IWorkQueue, IDisposable
{
    public const string Scope = "https://servicebus.azure.net/.default";

    private static readonly JsonSerializerOptions BrokerPropertiesJson = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;
    private readonly CachedBearerToken _token;
    private readonly TimeProvider _clock;
    private readonly Uri _messagesUri;
    private readonly string _where;

    public ServiceBusRestWorkQueue(HttpClient http, TokenCredential credential, ServiceBusRestOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _clock = clock;
        _token = new CachedBearerToken(credential, Scope, clock);
        _messagesUri = new Uri(options.Endpoint!, $"{Uri.EscapeDataString(options.QueueName)}/messages");
        _where = $"queue '{options.QueueName}' in Service Bus namespace '{options.Endpoint!.Host}'";
    }

    public async Task EnqueueAsync(DeliveryRequest request, TimeSpan? delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = new HttpRequestMessage(HttpMethod.Post, _messagesUri)
        {
            Content = new ByteArrayContent(DeliveryRequestJson.Serialize(request).ToArray()),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _token.GetAsync(cancellationToken));
        message.Headers.TryAddWithoutValidation("BrokerProperties", BrokerProperties(request, delay));

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new WorkQueueUnavailableException($"Could not reach {_where}: {e.Message}", retryAfter: null, e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.TooManyRequests || status >= 500)
            {
                throw new WorkQueueUnavailableException(
                    $"{_where} is busy or unavailable (HTTP {status}); send again later.", RetryAfter(response));
            }

            var hint = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? "the identity lacks the 'Azure Service Bus Data Sender' role or its token was refused"
                : "the request was refused";
            throw new WorkQueueRejectedException($"Sending to {_where} failed with HTTP {status}: {hint}.", status);
        }
    }

    public void Dispose() => _token.Dispose();

    private string BrokerProperties(DeliveryRequest request, TimeSpan? delay)
    {
        var scheduled = delay is { } d && d > TimeSpan.Zero
            ? (_clock.GetUtcNow() + d).ToString("R", CultureInfo.InvariantCulture)
            : null;
        return JsonSerializer.Serialize(new BrokerPropertiesHeader(request.DossierId, request.MessageId, scheduled), BrokerPropertiesJson);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private sealed record BrokerPropertiesHeader(
        [property: JsonPropertyName("SessionId")] string SessionId,
        [property: JsonPropertyName("MessageId")] string MessageId,
        [property: JsonPropertyName("ScheduledEnqueueTimeUtc")] string? ScheduledEnqueueTimeUtc);
}
