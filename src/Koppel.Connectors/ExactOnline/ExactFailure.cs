using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Koppel.Core.Connectors;
using Refit;

namespace Koppel.Connectors.ExactOnline;

/// <summary>A call to Exact failed in a way the connector understands; <see cref="Result"/> says what the user reads.</summary>
internal sealed class ExactFailure(DeliveryResult result, bool credentialsRejected = false)
    : Exception(result.Reason)
{
    public DeliveryResult Result { get; } = result;

    /// <summary>For the connection test: Exact refused the consent or the division itself.</summary>
    public bool CredentialsRejected { get; } = credentialsRejected;

    public const string ConsentExpiredMessage = "Exact Online consent expired: open the connection and connect to Exact again.";

    public static ExactFailure ConsentExpired() =>
        new(DeliveryResult.ConnectionBroken(ConsentExpiredMessage, needsConsent: true), credentialsRejected: true);

    public static ExactFailure NotConnected() =>
        new(DeliveryResult.ConnectionBroken("This connection is not connected to Exact Online yet: open the connection and connect to Exact.", needsConsent: true), credentialsRejected: true);
}

/// <summary>
/// Reads Exact's answers: the OData error body in the bookkeeper's words, and which failures are worth a retry.
/// Exact blocks an app for an hour after about ten 4xx answers per endpoint, so a 4xx is never retried blindly.
/// </summary>
internal static class ExactResponses
{
    public const string ReasonHeader = "Reason";

    public static T Check<T>(IApiResponse<T> response, string what, ExactRateLimits limits, int? division, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (division is { } d)
        {
            limits.Observe(d, response.Headers);
        }

        if (response.IsSuccessStatusCode && response.Content is { } content)
        {
            return content;
        }

        ThrowIfNoAnswer(response);
        throw Failure(response.StatusCode ?? HttpStatusCode.InternalServerError, response.Headers, ErrorBody(response), what, limits, division, clock);
    }

    /// <summary>
    /// Refit keeps a failure that happened before any answer (network, timeout, the rate limiter holding the call back)
    /// on the response; rethrow what really happened so the connector can tell them apart.
    /// </summary>
    public static void ThrowIfNoAnswer(IApiResponse response)
        => Common.ProviderAnswers.ThrowIfNoAnswer(response);

    public static ExactFailure Failure(HttpStatusCode status, HttpResponseHeaders? headers, string? body, string what, ExactRateLimits limits, int? division, TimeProvider clock)
    {
        var message = ErrorMessage(body);
        var said = message is null ? string.Empty : $": {message}";
        var now = clock.GetUtcNow();
        switch ((int)status)
        {
            case 429:
                var rate = ExactRateLimitHeaders.From(headers);
                if (rate.DailyRemaining == 0 && rate.DailyReset > now)
                {
                    return new ExactFailure(DeliveryResult.Deferred(
                        $"Exact Online's daily limit of calls for division {division} is used up; Koppel delivers again after {rate.DailyReset:u}.", rate.DailyReset.Value));
                }

                var wait = rate.MinutelyReset is { } reset && reset > now ? reset - now : TimeSpan.FromMinutes(1);
                return new ExactFailure(DeliveryResult.Transient($"Exact Online asks Koppel to slow down (too many calls for division {division} this minute); it tries again shortly.", wait));
            case 401:
                return new ExactFailure(DeliveryResult.Transient($"Exact Online did not accept Koppel's sign-in for the {what}{said}; Koppel signs in again on the next try."));
            case 403 when HasReason(headers, "NoDivisionAccess"):
                return new ExactFailure(
                    DeliveryResult.ConnectionBroken($"The Exact user of this connection has no access to division {division} (any more): give the user access in Exact, or pick another division."),
                    credentialsRejected: true);
            case 403:
                return new ExactFailure(DeliveryResult.ConnectionBroken($"Exact Online refused access to the {what}{said}. Check the Exact user's rights for division {division}."), credentialsRejected: true);
            case >= 500 or 408:
                return new ExactFailure(DeliveryResult.Transient($"Exact Online had a problem with the {what} ({(int)status}){said}; Koppel tries again later."));
            default:
                return new ExactFailure(DeliveryResult.Permanent($"Exact Online refused the {what}{(message is null ? $" ({(int)status})" : said)}"));
        }
    }

    /// <summary>The body of a refused call (Refit keeps it on the error).</summary>
    public static string? ErrorBody(IApiResponse response) => Common.ProviderAnswers.ErrorBody(response);

    public static bool HasReason(HttpResponseHeaders? headers, string reason) =>
        headers is not null && headers.TryGetValues(ReasonHeader, out var values)
        && values.Any(v => v.Contains(reason, StringComparison.OrdinalIgnoreCase));

    /// <summary>The message in Exact's OData error body, or the OAuth error description; null when the body has neither.</summary>
    public static string? ErrorMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object
                    && error.TryGetProperty("message", out var message)
                    && message.ValueKind == JsonValueKind.Object
                    && message.TryGetProperty("value", out var value)
                    && value.ValueKind == JsonValueKind.String)
                {
                    return Clean(value.GetString());
                }

                if (root.TryGetProperty("error_description", out var description) && description.ValueKind == JsonValueKind.String)
                {
                    return Clean(description.GetString());
                }

                if (error.ValueKind == JsonValueKind.String)
                {
                    return Clean(error.GetString());
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Clean(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Trim().TrimEnd('.') + ".";
}

/// <summary>Exact's rate-limit headers; the resets are epoch milliseconds.</summary>
internal sealed record ExactRateLimitHeaders(int? DailyRemaining, DateTimeOffset? DailyReset, int? MinutelyRemaining, DateTimeOffset? MinutelyReset)
{
    public static ExactRateLimitHeaders From(HttpResponseHeaders? headers) => new(
        Int(headers, "X-RateLimit-Remaining"),
        EpochMs(headers, "X-RateLimit-Reset"),
        Int(headers, "X-RateLimit-Minutely-Remaining"),
        EpochMs(headers, "X-RateLimit-Minutely-Reset"));

    private static string? Value(HttpResponseHeaders? headers, string name) =>
        headers is not null && headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static int? Int(HttpResponseHeaders? headers, string name) =>
        int.TryParse(Value(headers, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static DateTimeOffset? EpochMs(HttpResponseHeaders? headers, string name) =>
        long.TryParse(Value(headers, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
