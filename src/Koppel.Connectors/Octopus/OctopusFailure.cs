using System.Net;
using System.Text.Json;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Polly.Timeout;
using Refit;

namespace Koppel.Connectors.Octopus;

/// <summary>
/// Turns what went wrong talking to Octopus into a result a bookkeeper can act on. Octopus answers errors as
/// JSON <c>{errorCode, errorMessage, technicalInfo}</c>; the message is shown, the technical info is not.
/// </summary>
internal static class OctopusFailure
{
    public static DeliveryResult? Describe(Exception exception, string what, SecretRedactor redactor, CancellationToken cancellationToken)
    {
        DeliveryResult? result = exception switch
        {
            OperationCanceledException when cancellationToken.IsCancellationRequested => null,
            OctopusAccessException e => DeliveryResult.ConnectionBroken(e.Message),
            ConnectorConfigurationException e => DeliveryResult.Permanent(e.Message),
            UnbookableDocumentException e => DeliveryResult.Permanent(e.Message),
            Formats.Findings.DocumentReadException e => DeliveryResult.Permanent($"The document could not be read for booking: {e.Message}"),
            ApiRequestException or HttpRequestException => DeliveryResult.Transient($"Octopus did not answer while {what}; Koppel checks whether it arrived before trying again."),
            ApiException e => FromResponse(e, what),
            TimeoutRejectedException or TaskCanceledException => DeliveryResult.Transient($"Octopus took too long while {what}; Koppel checks whether it arrived before trying again."),
            _ => null,
        };
        return result is null ? null : Redacted(result, redactor);
    }

    public static string Message(Exception exception, string what, SecretRedactor redactor) =>
        redactor.Redact(Describe(exception, what, redactor, CancellationToken.None)?.Reason ?? $"Octopus failed while {what}: {exception.Message}");

    private static DeliveryResult FromResponse(ApiException e, string what)
    {
        var said = ErrorText(e.Content);
        return e.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                DeliveryResult.ConnectionBroken($"Octopus refused access while {what}{said}; check the user, its password and its rights on the dossier."),
            HttpStatusCode.TooManyRequests =>
                DeliveryResult.Transient($"Octopus asks Koppel to slow down while {what}{said}.", e.Headers.RetryAfter?.Delta),
            >= HttpStatusCode.InternalServerError =>
                DeliveryResult.Transient($"Octopus had a problem of its own while {what} ({(int)e.StatusCode}){said}; Koppel tries again later.", e.Headers.RetryAfter?.Delta),
            _ => DeliveryResult.Permanent($"Octopus refused {what}{said}."),
        };
    }

    /// <summary>": {errorMessage} (Octopus code {errorCode})", or nothing when the body is not Octopus' error JSON.</summary>
    private static string ErrorText(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return string.Empty;
        }

        try
        {
            var error = JsonSerializer.Deserialize<OctopusError>(body, JsonSerializerOptions.Web);
            if (error?.ErrorMessage is { Length: > 0 } message)
            {
                return error.ErrorCode is { Length: > 0 } code ? $": {message} (Octopus code {code})" : $": {message}";
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): the status code says enough.
        }

        return string.Empty;
    }

    private static DeliveryResult Redacted(DeliveryResult result, SecretRedactor redactor)
    {
        if (result.Reason is null)
        {
            return result;
        }

        var reason = redactor.Redact(result.Reason);
        return result switch
        {
            { ConnectionProblem: not null } => DeliveryResult.ConnectionBroken(reason, result.ConnectionProblem == Core.Domain.ConnectionHealthStatus.NeedsConsent),
            { Kind: DeliveryResultKind.Transient } => DeliveryResult.Transient(reason, result.RetryAfter),
            _ => DeliveryResult.Permanent(reason),
        };
    }
}
