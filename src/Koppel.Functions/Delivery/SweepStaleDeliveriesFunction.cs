using Koppel.Core.Delivery;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Delivery;

/// <summary>Every five minutes: queue again the deliveries that stopped moving (a lost message, a killed worker).</summary>
public sealed class SweepStaleDeliveriesFunction(StaleDeliverySweeper sweeper)
{
    // Every 5 minutes reads the same in any time zone. Schedules tied to the clock on the wall (the 07:00/14:00
    // Europe/Brussels payment poll) cannot use WEBSITE_TIME_ZONE on Flex Consumption (Linux): cron runs in UTC there.
    // See docs/deploy.md, "Schedules and time zones".
    [Function(nameof(SweepStaleDeliveries))]
    public Task SweepStaleDeliveries([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        sweeper.SweepAsync(cancellationToken);
}
