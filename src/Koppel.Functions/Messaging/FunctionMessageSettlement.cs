using Azure.Messaging.ServiceBus;
using Koppel.Azure.ServiceBus;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Messaging;

/// <summary>Settles the trigger's message through the worker's <see cref="ServiceBusMessageActions"/>.</summary>
internal sealed class FunctionMessageSettlement(ServiceBusReceivedMessage message, ServiceBusMessageActions actions) : IServiceBusMessageSettlement
{
    public Task CompleteAsync(CancellationToken cancellationToken) =>
        actions.CompleteMessageAsync(message, cancellationToken);

    public Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken) =>
        actions.DeadLetterMessageAsync(message, deadLetterReason: reason, deadLetterErrorDescription: description, cancellationToken: cancellationToken);
}
