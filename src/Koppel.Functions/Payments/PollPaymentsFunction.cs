using Azure.Storage.Queues.Models;
using Koppel.Azure;
using Koppel.Azure.Queues;
using Koppel.Core.Payments;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Koppel.Functions.Payments;

/// <summary>Runs one payment poll job: one connection's open items read, matched and recorded (a run-log line "process payments").</summary>
public sealed class PollPaymentsFunction(PaymentPollHandler polls, ILogger<PollPaymentsFunction> logger)
{
    // The host hands a message out at most 5 times (maxDequeueCount), then moves it to polls-poison; the next slot polls again.
    [Function(nameof(PollPayments))]
    public async Task PollPayments(
        [QueueTrigger(KoppelStorageNames.PollJobQueueName, Connection = "KoppelStorage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (PollJobJson.TryDeserialize(message.Body) is not { } job)
        {
            logger.LogWarning("Queue message {MessageId} is not a payment poll job; it is dropped", message.MessageId);
            return;
        }

        await polls.RunAsync(job, cancellationToken);
    }
}
