using Cronos;
using Koppel.Core.Delivery;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Hosting;

/// <summary>
/// The self-hosted stand-in for timer triggers: runs each job on its cron schedule in the configured time zone
/// (Europe/Brussels, so 07:00 stays 07:00 across daylight-saving changes).
/// </summary>
public sealed class ScheduledJobs(StaleDeliverySweeper sweeper, ClaimRecovery recovery, TimeProvider clock, IOptions<ServerOptions> options, ILogger<ScheduledJobs> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            await recovery.ResumeOwnClaimsAsync(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Resuming this instance's earlier deliveries failed; the sweep will pick them up when their claims expire");
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone);
        var sweep = CronExpression.Parse(settings.SweepSchedule, CronFormat.IncludeSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = sweep.GetNextOccurrence(now, zone);
            if (next is null)
            {
                return;
            }

            await Task.Delay(next.Value - now, clock, stoppingToken);
            try
            {
                await sweeper.SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "The stale-delivery sweep failed; it runs again on schedule");
            }
        }
    }
}
