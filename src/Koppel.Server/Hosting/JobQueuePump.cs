using Koppel.Azure.Queues;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Hosting;

/// <summary>
/// The self-hosted stand-in for a Functions queue trigger on one job queue: receives a few jobs at a time and runs them.
/// While the queue stays empty it asks storage less and less often, from <see cref="ServerOptions.QueuePollInterval"/>
/// up to <see cref="ServerOptions.IdleQueuePollLimit"/> (the Functions host backs off the same way), but a job this
/// process sends wakes it at once. A job that throws stays on the queue and comes back after the visibility timeout;
/// a storage outage is logged and waited out. No failure stops this loop.
/// </summary>
public abstract class JobQueuePump<TJob>(StorageQueueJobs<TJob> queue, IOptions<ServerOptions> options, ILogger logger) : BackgroundService
    where TJob : class
{
    /// <summary>Jobs received per call.</summary>
    protected abstract int BatchSize { get; }

    /// <summary>Whether a batch runs side by side (independent receivers) or one job after the other.</summary>
    protected virtual bool RunsSideBySide => false;

    /// <summary>Runs one job and completes it; its own failures are its own to log (the job comes back).</summary>
    protected abstract Task RunAsync(ReceivedJob<TJob> work, CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var idleWait = settings.QueuePollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var received = await queue.ReceiveAsync(BatchSize, settings.QueueVisibilityTimeout, stoppingToken);
                if (received.Count == 0)
                {
                    idleWait = await queue.WaitForSendAsync(idleWait, stoppingToken)
                        ? settings.QueuePollInterval
                        : IdleQueueWait.Next(idleWait, settings);
                    continue;
                }

                idleWait = settings.QueuePollInterval;
                if (RunsSideBySide)
                {
                    await Task.WhenAll(received.Select(work => RunAsync(work, stoppingToken)));
                }
                else
                {
                    foreach (var work in received)
                    {
                        await RunAsync(work, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Could not read the queue {Queue}", queue.QueueName);
                await Task.Delay(settings.QueuePollInterval * 5, stoppingToken);
            }
        }
    }
}

/// <summary>How long an idle job queue waits before it is asked again.</summary>
public static class IdleQueueWait
{
    /// <summary>Doubles the wait after each empty receive, up to the limit (never below the poll interval).</summary>
    public static TimeSpan Next(TimeSpan current, ServerOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var limit = settings.IdleQueuePollLimit > settings.QueuePollInterval ? settings.IdleQueuePollLimit : settings.QueuePollInterval;
        var doubled = current * 2;
        return doubled < limit ? doubled : limit;
    }
}
