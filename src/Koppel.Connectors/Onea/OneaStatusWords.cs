using Koppel.Core.Connectors;

namespace Koppel.Connectors.Onea;

/// <summary>
/// Onea documents that a status exists, not its values. This is the one place that reads them: words meaning done
/// or failed are recognised, anything else counts as still being processed. Change it when Onea publishes the list.
/// </summary>
internal static class OneaStatusWords
{
    private static readonly string[] Done = ["processed", "success", "succeeded", "done", "delivered", "booked", "ok"];
    private static readonly string[] Failed = ["error", "failed", "failure", "rejected", "refused", "invalid"];

    public static ProviderStatus Read(OneaStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var word = (status.Status ?? string.Empty).Trim().ToLowerInvariant();
        var said = string.IsNullOrWhiteSpace(status.Message) ? string.Empty : $": {status.Message}";
        if (Done.Contains(word))
        {
            return new ProviderStatus(ProviderStatusKind.Processed, $"Onea passed the invoice on to the accounting package{(status.Id is null ? string.Empty : $" (id {status.Id})")}{said}.") { ProviderId = status.Id };
        }

        return Failed.Contains(word)
            ? new ProviderStatus(ProviderStatusKind.Failed, $"Onea could not process the invoice ({status.Status}){said}.") { ProviderId = status.Id }
            : new ProviderStatus(ProviderStatusKind.Pending, $"Onea is still processing the invoice ({(word.Length == 0 ? "no status yet" : status.Status)}){said}.") { ProviderId = status.Id };
    }
}
