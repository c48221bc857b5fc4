using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.Queues;

/// <summary>One received storage queue message; settled through its pop receipt.</summary>
internal sealed class StorageQueueReceivedWork : IReceivedWork
{
    private readonly QueueClient _queue;
    private readonly string _messageId;
    private readonly ILogger _logger;
    private string _popReceipt;

    public StorageQueueReceivedWork(QueueClient queue, QueueMessage message, DeliveryRequest request, ILogger logger)
    {
        _queue = queue;
        _messageId = message.MessageId;
        _popReceipt = message.PopReceipt;
        _logger = logger;
        Request = request;
        DequeueCount = (int)message.DequeueCount;
    }

    public DeliveryRequest Request { get; }

    public int DequeueCount { get; }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _queue.DeleteMessageAsync(_messageId, _popReceipt, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The visibility timeout ran out and another receiver holds the message now. The ledger already says
            // what happened, so that receiver will find the work done.
            _logger.LogWarning("Queue message {MessageId} could not be completed: it was handed out again.", _messageId);
        }
    }

    public async Task AbandonAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            var updated = await _queue.UpdateMessageAsync(_messageId, _popReceipt, visibilityTimeout: delay, cancellationToken: cancellationToken);
            _popReceipt = updated.Value.PopReceipt;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            _logger.LogWarning("Queue message {MessageId} could not be abandoned: it was handed out again.", _messageId);
        }
    }
}
