using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Delivery;

/// <summary>
/// Finds deliveries that stopped moving (a crash between the ledger write and the enqueue, a message lost,
/// a worker killed mid-send) and queues them again. Safe to run any time: the handler checks the ledger first.
/// </summary>
public sealed class StaleDeliverySweeper(IDeliveryLedger ledger, IWorkQueue queue, TimeProvider clock, IOptions<DeliveryOptions> options, ILogger<StaleDeliverySweeper> logger)
{
    private readonly DeliveryOptions _options = options.Value;

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var requeued = 0;
        await foreach (var entry in ledger.ListUnfinishedAsync(cancellationToken))
        {
            var stale = entry.Status switch
            {
                DeliveryStatus.Pending => now - entry.UpdatedAt > _options.StaleAfter + _options.MaxRetryDelay,
                DeliveryStatus.InProgress => entry.ClaimedUntil is null || entry.ClaimedUntil < now - _options.StaleAfter,
                _ => false,
            };
            if (!stale)
            {
                continue;
            }

            await queue.EnqueueAsync(DeliveryRequest.NextAttemptOf(entry, now), delay: null, cancellationToken);
            requeued++;
        }

        if (requeued > 0)
        {
            logger.LogWarning("Re-queued {Count} deliveries that had stopped moving", requeued);
        }

        return requeued;
    }
}
