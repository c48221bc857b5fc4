using Azure.Messaging.ServiceBus;
using Koppel.Azure.Queues;
using Koppel.Core.Domain;

namespace Koppel.Azure.ServiceBus;

/// <summary>
/// How a <see cref="DeliveryRequest"/> travels on Service Bus. Everything the queue and the <c>Deliver</c> trigger rely on
/// is set here: session id = dossier (one dossier's deliveries in order), message id = delivery id plus attempt (the
/// queue's duplicate detection drops a second send of the same attempt), a scheduled enqueue time for a retry, and the
/// JSON body the trigger reads back.
/// </summary>
public static class DeliveryMessages
{
    public const string JsonContentType = "application/json";

    public static ServiceBusMessage ToMessage(DeliveryRequest request, TimeSpan? delay, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = new ServiceBusMessage(DeliveryRequestJson.Serialize(request))
        {
            SessionId = request.DossierId,
            MessageId = request.MessageId,
            ContentType = JsonContentType,
            Subject = "delivery",
        };
        if (delay is { } wait && wait > TimeSpan.Zero)
        {
            message.ScheduledEnqueueTime = now + wait;
        }

        return message;
    }

    /// <returns>null when the body is not a usable delivery request (the processor dead-letters it).</returns>
    public static DeliveryRequest? Read(ServiceBusReceivedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return DeliveryRequestJson.TryDeserialize(message.Body);
    }
}
