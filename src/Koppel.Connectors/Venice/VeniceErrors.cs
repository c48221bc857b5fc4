using System.Net;
using System.Text.Json.Nodes;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Polly.Timeout;
using Refit;

namespace Koppel.Connectors.Venice;

/// <summary>
/// Venice's error format and limits are not publicly documented, so this is the whole of the guesswork: the HTTP
/// status decides the kind (401/403 broken connection, 404 wrong dossier or year, other 4xx refused, 429/5xx/network
/// try again), and the text shown is the first "Message" (or "Error") string found in the body, else none.
/// </summary>
internal static class VeniceErrors
{
    public static DeliveryResult? Describe(Exception exception, string what, SecretRedactor redactor, CancellationToken cancellationToken)
    {
        DeliveryResult? result = exception switch
        {
            OperationCanceledException when cancellationToken.IsCancellationRequested => null,
            ConnectorConfigurationException e => DeliveryResult.Permanent(e.Message),
            UnbookableDocumentException e => DeliveryResult.Permanent(e.Message),
            Formats.Findings.DocumentReadException e => DeliveryResult.Permanent($"The document could not be read for booking: {e.Message}"),
            ApiRequestException or HttpRequestException => DeliveryResult.Transient($"Venice did not answer while {what}; Koppel checks whether it arrived before trying again."),
            ApiException e => FromResponse(e, what),
            TimeoutRejectedException or TaskCanceledException => DeliveryResult.Transient($"Venice took too long while {what}; Koppel checks whether it arrived before trying again."),
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
        exception is ApiException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden };

    private static DeliveryResult FromResponse(ApiException e, string what)
    {
        var said = MessageIn(e.Content) is { } message ? $": {message}" : string.Empty;
        return e.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                DeliveryResult.ConnectionBroken($"Venice refused the user name or password while {what}{said}; check them, and that WebConnect is active for the dossier and the user has administrator rights."),
            HttpStatusCode.NotFound =>
                DeliveryResult.Permanent($"Venice does not know this dossier or financial year while {what}{said}; run the connection test to check '{VeniceSettings.DossierKey}' and '{VeniceSettings.FinancialYearKey}'."),
            HttpStatusCode.TooManyRequests =>
                DeliveryResult.Transient($"Venice asks Koppel to slow down while {what}{said}.", e.Headers.RetryAfter?.Delta),
            >= HttpStatusCode.InternalServerError =>
                DeliveryResult.Transient($"Venice had a problem of its own while {what} ({(int)e.StatusCode}){said}; Koppel tries again later.", e.Headers.RetryAfter?.Delta),
            _ => DeliveryResult.Permanent($"Venice refused {what}{said}."),
        };
    }

    private static string? MessageIn(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return Find(JsonNode.Parse(body));
        }
        catch (System.Text.Json.JsonException)
        {
            // Plain text: show its start, it is usually the reason.
            var text = body.Trim();
            return text.StartsWith('<') ? null : text[..Math.Min(text.Length, 300)];
        }
    }

    private static string? Find(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Select(p => p.Key is "Message" or "message" or "Error" or "error" && p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : Find(p.Value))
            .FirstOrDefault(s => s is not null),
        JsonArray array => array.Select(Find).FirstOrDefault(s => s is not null),
        _ => null,
    };
}
