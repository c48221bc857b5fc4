using Azure.Messaging.ServiceBus;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Koppel.Core.Telemetry;

namespace Koppel.Azure.ServiceBus;

/// <summary>
/// Sends delivery work to Azure Service Bus with the SDK's <see cref="ServiceBusSender"/>, which signs in with the
/// configured credential (the app's managed identity through DefaultAzureCredential) and retries busy or unreachable
/// brokers itself. What it still cannot send is reported in words an operator can act on.
/// </summary>
public sealed class ServiceBusWorkQueue(ServiceBusSender sender, TimeProvider clock) : IWorkQueue
{
    public async Task EnqueueAsync(DeliveryRequest request, TimeSpan? delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The body carries the trace context (traceParent), so the Deliver trigger continues the document's trace.
        var (activity, traced) = KoppelTelemetry.StartEnqueue(request, "servicebus");
        using var enqueueSpan = activity;
        var message = DeliveryMessages.ToMessage(traced, delay, clock.GetUtcNow());
        try
        {
            await sender.SendMessageAsync(message, cancellationToken);
        }
        catch (ServiceBusException e) when (e.IsTransient)
        {
            throw new WorkQueueUnavailableException($"{Where()} is busy or unreachable ({e.Reason}); send again later.", retryAfter: null, e);
        }
        catch (ServiceBusException e)
        {
            throw new WorkQueueRejectedException($"{Where()} refused the delivery request ({e.Reason}).", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new WorkQueueRejectedException(
                $"{Where()} refused the app's identity: it needs the 'Azure Service Bus Data Sender' role on the queue.", e);
        }
    }

    private string Where() => $"Queue '{sender.EntityPath}' in Service Bus namespace '{sender.FullyQualifiedNamespace}'";
}
