using Koppel.Azure.Queues;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Hosting;

/// <summary>
/// The self-hosted stand-in for a Functions queue trigger on one job queue: receives a few jobs at a time and runs them.
/// While the queue stays empty it asks storage less and less often, from <see cref="ServerOptions.QueuePollInterval"/>
/// up to <see cref="ServerOptions.IdleQueuePollLimit"/> (the Functions host backs off the same way), but a job this
/// process sends wakes it at once. A job that throws stays on the queue and comes back after the visibility timeout,
/// up to <see cref="MaxAttempts"/> pick-ups; then it is dropped with a log line that says what happens instead.
/// A storage outage is logged and waited out. No failure stops this loop.
/// </summary>
public abstract class JobQueuePump<TJob>(StorageQueueJobs<TJob> queue, IOptions<ServerOptions> options, ILogger logger) : BackgroundService
    where TJob : class
{
    /// <summary>Jobs received per call.</summary>
    protected abstract int BatchSize { get; }

    /// <summary>Whether a batch runs side by side (independent receivers) or one job after the other.</summary>
    protected virtual bool RunsSideBySide => false;

    /// <summary>
    /// Pick-ups after which a job that keeps failing is dropped instead of run; null when the job counts its own
    /// attempts (an export ends its run itself).
    /// </summary>
    protected virtual int? MaxAttempts => null;

    /// <summary>What happens instead when a job is dropped, for the log line, e.g. "the next slot polls again".</summary>
    protected virtual string WhenDropped => "it is not run again";

    /// <summary>Runs one job; the pump completes it when this returns and lets it come back when this throws.</summary>
    protected abstract Task HandleAsync(ReceivedJob<TJob> work, CancellationToken stoppingToken);

    /// <summary>The job in the log's words, e.g. "Payment poll of connection c-1 (dossier 0403170701)".</summary>
    protected abstract string Describe(TJob job);

    private async Task RunAsync(ReceivedJob<TJob> work, CancellationToken stoppingToken)
    {
        try
        {
            if (work.DequeueCount > MaxAttempts)
            {
                logger.LogError("{Job} failed {Attempts} times; dropped, {WhenDropped}", Describe(work.Job), work.DequeueCount - 1, WhenDropped);
            }
            else
            {
                await HandleAsync(work, stoppingToken);
            }

            await work.CompleteAsync(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(ex, "{Job} failed on pick-up {Attempt}; it is picked up again", Describe(work.Job), work.DequeueCount);
        }
    }

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
