using Azure.Messaging.ServiceBus;
using Koppel.Azure.ServiceBus;
using Koppel.Functions.Messaging;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Delivery;

/// <summary>Delivers one document to one connection, then settles the message as the ledger's outcome says.</summary>
public sealed class DeliverFunction(ServiceBusDeliveryProcessor deliveries)
{
    // Sessions (session id = dossier) keep one dossier's deliveries in order. Settlement is explicit
    // (AutoCompleteMessages = false) because a retry is a new scheduled message, not an abandon: see ServiceBusSettlementRules.
    [Function(nameof(Deliver))]
    public Task Deliver(
        [ServiceBusTrigger("%DeliveryQueueName%", Connection = "ServiceBus", IsSessionsEnabled = true, AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        CancellationToken cancellationToken) =>
        deliveries.ProcessAsync(message, new FunctionMessageSettlement(message, actions), cancellationToken);
}
