using Azure.Storage.Queues.Models;
using Koppel.Azure;
using Koppel.Azure.Events;
using Koppel.Core.Events;
using Koppel.Functions.Messaging;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Events;

/// <summary>Posts one published event to one webhook; a failed post is queued again with a back-off by the handler.</summary>
public sealed class PostWebhookFunction(WebhookDeliveryHandler handler)
{
    // The storage queue the publisher sends to (Koppel's own storage account, identity-based "KoppelStorage"). A message
    // that throws (storage outage) is handed out again by the host, up to maxDequeueCount, then poisoned.
    [Function(nameof(PostWebhook))]
    public async Task PostWebhook(
        [QueueTrigger(KoppelStorageNames.WebhookQueueName, Connection = "KoppelStorage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        var delivery = QueueJobMessages.Read(message, WebhookJson.TryDeserialize, "a webhook post");

        await handler.HandleAsync(delivery, cancellationToken);
    }
}
