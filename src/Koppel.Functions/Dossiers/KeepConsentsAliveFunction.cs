using Koppel.Core.Dossiers;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Dossiers;

/// <summary>Once a day: renew the OAuth consents left unused (Exact's die after about 30 idle days), see <see cref="ConsentUpkeepJob"/>.</summary>
public sealed class KeepConsentsAliveFunction(ConsentUpkeepJob upkeep)
{
    // 02:30 UTC: cron runs in UTC on Flex Consumption (docs/deploy.md, "Schedules and time zones"); the hour matters little.
    [Function(nameof(KeepConsentsAlive))]
    public Task KeepConsentsAlive([TimerTrigger("0 30 2 * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        upkeep.RunAsync(cancellationToken);
}
