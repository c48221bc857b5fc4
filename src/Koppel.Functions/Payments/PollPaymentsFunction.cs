using Azure.Storage.Queues.Models;
using Koppel.Azure;
using Koppel.Azure.Queues;
using Koppel.Core.Payments;
using Koppel.Functions.Messaging;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Payments;

/// <summary>Runs one payment poll job: one connection's open items read, matched and recorded (a run-log line "process payments").</summary>
public sealed class PollPaymentsFunction(PaymentPollHandler polls)
{
    // The host hands a message out at most 5 times (maxDequeueCount), then moves it to polls-poison; the next slot polls again.
    [Function(nameof(PollPayments))]
    public async Task PollPayments(
        [QueueTrigger(KoppelStorageNames.PollJobQueueName, Connection = "KoppelStorage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        var job = QueueJobMessages.Read(message, PollJobJson.TryDeserialize, "a payment poll job");

        await polls.RunAsync(job, cancellationToken);
    }
}
