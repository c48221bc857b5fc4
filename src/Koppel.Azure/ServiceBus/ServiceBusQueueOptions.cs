namespace Koppel.Azure.ServiceBus;

/// <summary>Where delivery work goes in Azure: a session-enabled queue with duplicate detection.</summary>
public sealed class ServiceBusQueueOptions
{
    /// <summary>The namespace host, e.g. koppel-prod.servicebus.windows.net (the trigger's <c>ServiceBus__fullyQualifiedNamespace</c>).</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>The queue the <c>Deliver</c> trigger listens on (<c>DeliveryQueueName</c>).</summary>
    public string QueueName { get; set; } = "deliveries";

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(FullyQualifiedNamespace) || FullyQualifiedNamespace.Contains('/', StringComparison.Ordinal)
            || FullyQualifiedNamespace.Contains('<', StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                "ServiceBus__fullyQualifiedNamespace must name the Service Bus namespace host, such as koppel-prod.servicebus.windows.net.");
        }

        if (string.IsNullOrWhiteSpace(QueueName) || QueueName.Contains('/', StringComparison.Ordinal))
        {
            throw new InvalidOperationException("DeliveryQueueName must be a queue name without slashes.");
        }
    }
}
