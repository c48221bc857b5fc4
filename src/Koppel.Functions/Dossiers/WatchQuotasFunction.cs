using Koppel.Core.Dossiers;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Dossiers;

/// <summary>Once a day: flag connections whose provider quota was nearly used up, see <see cref="QuotaWatchJob"/>.</summary>
public sealed class WatchQuotasFunction(QuotaWatchJob quotas)
{
    // 05:30 UTC: after Yuki's day has turned over (midnight in Brussels), so yesterday's count is whole, and before the
    // morning's first payment poll and the firm's morning look at the list of connections.
    [Function(nameof(WatchQuotas))]
    public Task WatchQuotas([TimerTrigger("0 30 5 * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        quotas.RunAsync(cancellationToken);
}
