using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Refit;

namespace Koppel.Connectors.Dropbox;

/// <summary>A call to Dropbox failed in a way the connector understands; <see cref="Result"/> says what the user reads.</summary>
internal sealed class DropboxFailure(DeliveryResult result, bool credentialsRejected = false) : Exception(result.Reason)
{
    public DeliveryResult Result { get; } = result;

    public bool CredentialsRejected { get; } = credentialsRejected;
}

/// <summary>Reads Dropbox's answers: its error summaries in the bookkeeper's words, and which failures are worth a retry.</summary>
internal static class DropboxResponses
{
    /// <summary>Dropbox's default wait when a 429 carries no Retry-After.</summary>
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);

    /// <summary>A failure before any answer (network, timeout) is rethrown as what it was, so the connector can tell them apart.</summary>
    public static void ThrowIfNoAnswer(IApiResponse response)
        => ProviderAnswers.ThrowIfNoAnswer(response);

    public static DropboxError Error(IApiResponse response) => DropboxError.Parse(ProviderAnswers.ErrorBody(response));

    public static DropboxFailure Failure(IApiResponse response, string what)
    {
        var status = (int)(response.StatusCode ?? HttpStatusCode.InternalServerError);
        var error = Error(response);
        switch (status)
        {
            case 429:
                var wait = ProviderAnswers.RetryAfter(response.Headers) ?? DefaultWait;
                return new DropboxFailure(DeliveryResult.Transient(
                    error.Mentions("too_many_write_operations")
                        ? $"Dropbox is busy with other writes into the same folder (too many at once); Koppel tries the {what} again in {ProviderAnswers.Words(wait)}."
                        : $"Dropbox asks Koppel to slow down; Koppel tries the {what} again in {ProviderAnswers.Words(wait)}.",
                    wait));
            case 401:
                return new DropboxFailure(DeliveryResult.Transient($"Dropbox did not accept Koppel's sign-in for the {what} ({error.Summary?.TrimEnd('/', '.') ?? "401"}); Koppel signs in again on the next try."));
            case 403:
                return new DropboxFailure(DeliveryResult.ConnectionBroken($"Dropbox refused access for the {what}: the signed-in account may not write there ({error.Summary?.TrimEnd('/', '.')}). Check the account's rights or the team space setting."), credentialsRejected: true);
            case 409 when error.Mentions("insufficient_space"):
                return new DropboxFailure(DeliveryResult.Permanent($"The Dropbox of this connection is full; make room, then send the document again."));
            case 409 when error.Mentions("malformed_path") || error.Mentions("disallowed_name"):
                return new DropboxFailure(DeliveryResult.Permanent($"Dropbox does not accept the file name for the {what} ({error.Summary?.TrimEnd('/', '.')}); change the connection's path template."));
            case 409 when error.Mentions("no_write_permission"):
                return new DropboxFailure(DeliveryResult.ConnectionBroken($"The signed-in Dropbox account may not write into that folder; give it write access or change the path template."), credentialsRejected: true);
            case >= 500 or 408:
                return new DropboxFailure(DeliveryResult.Transient($"Dropbox had a problem with the {what} ({status}); Koppel tries again later.", ProviderAnswers.RetryAfter(response.Headers)));
            default:
                return new DropboxFailure(DeliveryResult.Permanent($"Dropbox refused the {what} ({status}{(error.Summary is null ? string.Empty : ": " + error.Summary.TrimEnd('/', '.'))})."));
        }
    }
}

/// <summary>
/// Dropbox's <c>content_hash</c>: the SHA-256 of the concatenated SHA-256 of each 4 MiB block, as lower-case hex. Read
/// from a stream, one block in memory at a time.
/// </summary>
internal static class DropboxContentHash
{
    public const int BlockSize = 4 * 1024 * 1024;

    public static async Task<string> ComputeAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var overall = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var block = new byte[BlockSize];
        while (true)
        {
            var filled = await Common.Chunks.FillAsync(stream, block, cancellationToken);
            if (filled == 0)
            {
                break;
            }

            overall.AppendData(SHA256.HashData(block.AsSpan(0, filled)));
            if (filled < block.Length)
            {
                break;
            }
        }

        return Convert.ToHexStringLower(overall.GetHashAndReset());
    }
}
