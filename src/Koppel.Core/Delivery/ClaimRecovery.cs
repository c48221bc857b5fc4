using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Delivery;

/// <summary>
/// Run once when a process starts: the deliveries an earlier run of this same instance had claimed when it died
/// are released and queued again at once. Without this they would wait for their claim (and their queue message)
/// to expire, minutes during which nothing moves. Claims of other instances are left alone: they may be alive.
/// </summary>
public sealed class ClaimRecovery(IDeliveryLedger ledger, IWorkQueue queue, TimeProvider clock, IOptions<DeliveryOptions> options, ILogger<ClaimRecovery> logger)
{
    private readonly DeliveryOptions _options = options.Value;

    public async Task<int> ResumeOwnClaimsAsync(CancellationToken cancellationToken)
    {
        var mine = _options.Instance + "#";
        var resumed = 0;
        await foreach (var entry in ledger.ListUnfinishedAsync(cancellationToken))
        {
            if (entry.Status != DeliveryStatus.InProgress
                || entry.ClaimedBy is null
                || !entry.ClaimedBy.StartsWith(mine, StringComparison.Ordinal)
                || entry.ClaimedBy == _options.Claimant)
            {
                continue;
            }

            var now = clock.GetUtcNow();
            try
            {
                // The attempt it was in the middle of did not happen as far as anyone can tell: give it back.
                var released = await ledger.ReplaceAsync(
                    entry with { Status = DeliveryStatus.Pending, ClaimedUntil = null, ClaimedBy = null, Attempts = Math.Max(0, entry.Attempts - 1), UpdatedAt = now },
                    cancellationToken);
                await queue.EnqueueAsync(DeliveryRequest.NextAttemptOf(released, now), delay: null, cancellationToken);
                resumed++;
            }
            catch (ConcurrencyConflictException)
            {
                // Someone moved it meanwhile (a retry of its own message): theirs it is.
            }
        }

        if (resumed > 0)
        {
            logger.LogWarning("Resumed {Count} deliveries this instance ({Instance}) had in progress when it stopped", resumed, _options.Instance);
        }

        return resumed;
    }
}
