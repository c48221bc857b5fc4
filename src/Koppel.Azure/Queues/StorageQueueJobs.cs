using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.Queues;

/// <summary>A job taken from a storage queue; complete it once its handler is done with it.</summary>
public sealed record ReceivedJob<TJob>(TJob Job, int DequeueCount, Func<CancellationToken, Task> CompleteAsync);

/// <summary>
/// One kind of job on its own storage queue (camelCase JSON, Base64 like every Koppel queue, so the Functions queue
/// trigger reads it too), with its poison queue for bodies that are not such a job. The self-hosted server receives here;
/// a job sent by this process wakes its receiver at once (<see cref="WaitForSendAsync"/>), as the Functions host's queue
/// listener is woken by its own output bindings, so an idle receiver can poll storage rarely without making users wait.
/// </summary>
public abstract class StorageQueueJobs<TJob>
    where TJob : class
{
    private readonly PoisoningQueue _queue;
    private readonly ILogger _logger;
    private readonly string _what;
    private TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="what">The job in words, for the poison queue's log line, e.g. "an export job".</param>
    protected StorageQueueJobs(QueueClient queue, QueueClient poisonQueue, ILogger logger, string what)
    {
        _queue = new PoisoningQueue(queue, poisonQueue, logger);
        _logger = logger;
        _what = what;
    }

    public string QueueName => _queue.Queue.Name;

    protected abstract BinaryData Serialize(TJob job);

    /// <returns>null when the body is not a usable job of this kind.</returns>
    protected abstract TJob? TryDeserialize(BinaryData body);

    /// <param name="delay">How long the message stays invisible; null: at once.</param>
    protected async Task SendAsync(TJob job, TimeSpan? delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await _queue.SendAsync(Serialize(job), cancellationToken, delay);
        if (delay is not { } wait || wait <= TimeSpan.Zero)
        {
            Interlocked.Exchange(ref _sent, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    public async Task<IReadOnlyList<ReceivedJob<TJob>>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var received = await _queue.ReceiveAsync(Math.Max(1, maxMessages), visibilityTimeout, TryDeserialize, _what, cancellationToken);
        return received.Select(r => new ReceivedJob<TJob>(r.Body, (int)r.Message.DequeueCount, ct => CompleteAsync(r.Message, ct))).ToList();
    }

    /// <summary>Waits until this process sends a job that can be taken at once, or <paramref name="timeout"/> passes.</summary>
    /// <returns>true when a job was sent.</returns>
    public async Task<bool> WaitForSendAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sent = Volatile.Read(ref _sent).Task;

        // The delay is cancelled once a send wins, so a busy queue leaves no timers behind.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var finished = await Task.WhenAny(sent, Task.Delay(timeout, wait.Token));
        await wait.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        return finished == sent;
    }

    private async Task CompleteAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        if (!await _queue.TryDeleteAsync(message, cancellationToken))
        {
            // Handed out again after its visibility timeout: every Koppel job is idempotent, the next pick-up finds it done.
            _logger.LogWarning("Message {MessageId} on {Queue} could not be completed: it was handed out again.", message.MessageId, QueueName);
        }
    }
}
