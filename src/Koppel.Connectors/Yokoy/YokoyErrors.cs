using System.Net;
using System.Text.Json.Nodes;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Polly.Timeout;
using Refit;

namespace Koppel.Connectors.Yokoy;

/// <summary>
/// Yokoy's documented answers (400, 401, 403, 429 <c>{"code":429,"message":"Too many requests"}</c>, 5xx) in the
/// user's words. Yokoy documents no numeric limit and no Retry-After: when the header comes it is honoured, else
/// the delivery's own back-off applies.
/// </summary>
internal static class YokoyErrors
{
    public static DeliveryResult? Describe(Exception exception, string what, SecretRedactor redactor, CancellationToken cancellationToken)
    {
        exception = Unwrapped(exception);
        DeliveryResult? result = exception switch
        {
            OperationCanceledException when cancellationToken.IsCancellationRequested => null,
            ConnectorConfigurationException e => DeliveryResult.Permanent(e.Message),
            YokoyLoginRefusedException e => DeliveryResult.ConnectionBroken(e.Message),
            ApiRequestException or HttpRequestException => DeliveryResult.Transient($"Yokoy did not answer while {what}; Koppel checks whether the invoice arrived before trying again."),
            ApiException e => FromResponse(e, what),
            TimeoutRejectedException or TaskCanceledException => DeliveryResult.Transient($"Yokoy took too long while {what}; Koppel checks whether the invoice arrived before trying again."),
            _ => null,
        };
        if (result?.Reason is null)
        {
            return result;
        }

        var reason = redactor.Redact(result.Reason);
        return result switch
        {
            { ConnectionProblem: not null } => DeliveryResult.ConnectionBroken(reason),
            { Kind: DeliveryResultKind.Transient } => DeliveryResult.Transient(reason, result.RetryAfter),
            _ => DeliveryResult.Permanent(reason),
        };
    }

    public static bool IsCredentialsRejected(Exception exception) =>
        Unwrapped(exception) is YokoyLoginRefusedException or ApiException { StatusCode: HttpStatusCode.Forbidden };

    /// <summary>The token is fetched inside the HTTP pipeline, so Refit hands a refused login over wrapped.</summary>
    private static Exception Unwrapped(Exception exception) =>
        exception is ApiRequestException { InnerException: YokoyLoginRefusedException or ApiException } wrapped ? wrapped.InnerException! : exception;

    private static DeliveryResult FromResponse(ApiException e, string what)
    {
        var said = MessageIn(e.Content) is { } message ? $": {message}" : string.Empty;
        return e.StatusCode switch
        {
            HttpStatusCode.Unauthorized =>
                DeliveryResult.Transient($"Yokoy refused Koppel's access token while {what}; Koppel gets a new one and tries again."),
            HttpStatusCode.Forbidden =>
                DeliveryResult.ConnectionBroken($"Yokoy refused access while {what}{said}; check that the API client has the developer role and reaches this organisation and legal entity."),
            HttpStatusCode.NotFound =>
                DeliveryResult.Permanent($"Yokoy does not know this organisation or legal entity while {what}{said}; run the connection test to check '{YokoySettings.OrganizationKey}' and '{YokoySettings.LegalEntityKey}'."),
            HttpStatusCode.TooManyRequests =>
                DeliveryResult.Transient($"Yokoy asks Koppel to slow down (too many requests) while {what}; Koppel waits and tries again.", RetryAfter(e)),
            >= HttpStatusCode.InternalServerError =>
                DeliveryResult.Transient($"Yokoy had a problem of its own while {what} ({(int)e.StatusCode}){said}; Koppel tries again later.", RetryAfter(e)),
            _ => DeliveryResult.Permanent($"Yokoy refused {what}{said}."),
        };
    }

    private static TimeSpan? RetryAfter(ApiException e) =>
        e.Headers.RetryAfter?.Delta ?? (e.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);

    private static string? MessageIn(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body) is JsonObject obj && obj["message"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        }
        catch (System.Text.Json.JsonException)
        {
            var text = body.Trim();
            return text.StartsWith('<') ? null : text[..Math.Min(text.Length, 300)];
        }
    }
}
