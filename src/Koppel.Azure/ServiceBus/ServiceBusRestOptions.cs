using System.Net;

namespace Koppel.Azure.ServiceBus;

/// <summary>Configuration section <c>Koppel:ServiceBus</c>.</summary>
public sealed class ServiceBusRestOptions
{
    public const string SectionName = "Koppel:ServiceBus";

    /// <summary>The namespace endpoint, e.g. https://koppel-prod.servicebus.windows.net/.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>A session-enabled queue with duplicate detection.</summary>
    public string QueueName { get; set; } = "deliveries";

    /// <summary>
    /// The bearer token travels in the request, so anything but https is refused; plain http is allowed only to a
    /// loopback address, which is what the tests' fake broker listens on.
    /// </summary>
    internal void Validate()
    {
        if (Endpoint is null || !Endpoint.IsAbsoluteUri)
        {
            throw new InvalidOperationException($"{SectionName}:Endpoint must be an absolute URI such as https://<namespace>.servicebus.windows.net/.");
        }

        var loopback = Endpoint.IsLoopback || (IPAddress.TryParse(Endpoint.Host, out var ip) && IPAddress.IsLoopback(ip));
        if (Endpoint.Scheme != Uri.UriSchemeHttps && !loopback)
        {
            throw new InvalidOperationException($"{SectionName}:Endpoint must use https.");
        }

        if (string.IsNullOrWhiteSpace(QueueName) || QueueName.Contains('/', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{SectionName}:QueueName must be a queue name without slashes.");
        }
    }
}
