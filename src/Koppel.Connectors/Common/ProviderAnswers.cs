using System.Globalization;
using System.Net.Http.Headers;
using Refit;

namespace Koppel.Connectors.Common;

/// <summary>What every REST connector reads the same way from a provider's answer.</summary>
internal static class ProviderAnswers
{
    /// <summary>
    /// Refit keeps a failure that happened before any answer (network, timeout, a rate limiter holding the call back) on
    /// the response; rethrow what really happened so the connector can tell them apart.
    /// </summary>
    public static void ThrowIfNoAnswer(IApiResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode is null && response.Error is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error.InnerException ?? error);
        }
    }

    /// <summary>The body of a refused call (Refit keeps it on the error).</summary>
    public static string? ErrorBody(IApiResponse response) => (response?.Error as ApiException)?.Content;

    /// <summary>How long the provider asks to wait (Retry-After in seconds or as a date), or null when it does not say.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders? headers, TimeProvider? clock = null)
    {
        if (headers?.RetryAfter is not { } retry)
        {
            return null;
        }

        if (retry.Delta is { } delta)
        {
            return delta;
        }

        var now = (clock ?? TimeProvider.System).GetUtcNow();
        return retry.Date is { } date && date > now ? date - now : null;
    }

    /// <summary>A wait in the user's words: "17 seconds", "5 minutes".</summary>
    public static string Words(TimeSpan wait) => wait.TotalSeconds < 120
        ? $"{Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture)} seconds"
        : $"{Math.Ceiling(wait.TotalMinutes).ToString(CultureInfo.InvariantCulture)} minutes";
}
