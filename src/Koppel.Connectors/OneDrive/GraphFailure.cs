using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Refit;

namespace Koppel.Connectors.OneDrive;

/// <summary>A call to Microsoft Graph failed in a way the connector understands; <see cref="Result"/> says what the user reads.</summary>
internal sealed class GraphFailure(DeliveryResult result, bool credentialsRejected = false) : Exception(result.Reason)
{
    public DeliveryResult Result { get; } = result;

    public bool CredentialsRejected { get; } = credentialsRejected;
}

/// <summary>Reads Graph's answers: its error codes in the bookkeeper's words, and which failures are worth a retry.</summary>
internal static class GraphResponses
{
    /// <summary>When a 429 or 503 carries no Retry-After.</summary>
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);

    public static void ThrowIfNoAnswer(IApiResponse response)
        => ProviderAnswers.ThrowIfNoAnswer(response);

    public static GraphError Error(IApiResponse response) => GraphError.Parse(ProviderAnswers.ErrorBody(response));

    public static GraphFailure Failure(IApiResponse response, string what) =>
        Failure(response.StatusCode ?? HttpStatusCode.InternalServerError, response.Headers, Error(response), what);

    public static GraphFailure Failure(HttpStatusCode statusCode, HttpResponseHeaders? headers, GraphError error, string what)
    {
        var status = (int)statusCode;
        var said = error.Code is null ? $"{status}" : $"{status} {error.Code}";
        switch (status)
        {
            case 429 or 503:
                var wait = ProviderAnswers.RetryAfter(headers) ?? DefaultWait;
                return new GraphFailure(DeliveryResult.Transient(
                    status == 429
                        ? $"Microsoft asks Koppel to slow down (too many requests to OneDrive); Koppel tries the {what} again in {ProviderAnswers.Words(wait)}."
                        : $"OneDrive is unavailable for a moment (503); Koppel tries the {what} again in {ProviderAnswers.Words(wait)}.",
                    wait));
            case 401:
                return new GraphFailure(DeliveryResult.Transient($"Microsoft did not accept Koppel's sign-in for the {what} ({said}); Koppel signs in again on the next try."));
            case 403:
                return new GraphFailure(DeliveryResult.ConnectionBroken($"Microsoft refused access for the {what} ({said}): the signed-in user may not write into this drive or folder. Give the user access, or pick another drive."), credentialsRejected: true);
            case 404 when what.StartsWith("drive", StringComparison.Ordinal):
                return new GraphFailure(DeliveryResult.ConnectionBroken($"The drive of this connection does not exist (any more) or the signed-in user cannot see it; run the connection test and pick a drive again."), credentialsRejected: true);
            case 507 or 409 when error.Code is "quotaLimitReached" or "insufficientStorage":
                return new GraphFailure(DeliveryResult.Permanent("The OneDrive of this connection is full; make room, then send the document again."));
            case >= 500 or 408:
                return new GraphFailure(DeliveryResult.Transient($"OneDrive had a problem with the {what} ({said}); Koppel tries again later.", ProviderAnswers.RetryAfter(headers)));
            default:
                return new GraphFailure(DeliveryResult.Permanent($"OneDrive refused the {what} ({said}{(error.Message is { Length: > 0 } m ? ": " + m.TrimEnd('.') : string.Empty)})."));
        }
    }
}
