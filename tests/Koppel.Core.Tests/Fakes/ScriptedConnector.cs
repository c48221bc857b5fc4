using System.Collections.Concurrent;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Core.Tests.Fakes;

// A connector whose answers a test scripts: fail transiently N times, fail for good, or deliver.
// It counts the documents it actually booked, which is what "exactly once" is about.
public sealed class ScriptedConnector : IConnector, IQuotaGauge
{
    /// <summary>Calls counted per day against a daily quota of <see cref="QuotaLimit"/>, as a Yuki domain's.</summary>
    public Dictionary<DateOnly, int> QuotaUsed { get; } = [];

    public int QuotaLimit { get; set; } = 1000;

    public int QuotaReads { get; private set; }

    private readonly ConcurrentQueue<Func<DeliveryContext, DeliveryResult>> _script = new();

    public ConcurrentBag<(string DeliveryId, string DocumentId)> Booked { get; } = [];

    public ConcurrentBag<DeliveryContext> Calls { get; } = [];

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = "scripted",
        DisplayName = "Scripted test connector",
        Capabilities = ConnectorCapabilities.Deliver,
        Delivers = Enum.GetValues<DocumentKind>().ToDictionary(k => k, _ => DeliveryMode.HandOver),
        Settings = [new SettingField("target", "Where it goes", Required: true), new SettingField("password", "A credential", Secret: true)],
    };

    public ScriptedConnector Then(Func<DeliveryContext, DeliveryResult> step)
    {
        _script.Enqueue(step);
        return this;
    }

    public ScriptedConnector FailTransiently(int times, TimeSpan? retryAfter = null)
    {
        for (var i = 0; i < times; i++)
        {
            Then(_ => DeliveryResult.Transient("provider answered 503", retryAfter));
        }

        return this;
    }

    public Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        Calls.Add(context);
        if (_script.TryDequeue(out var step))
        {
            var result = step(context);
            if (result.Kind == DeliveryResultKind.Delivered)
            {
                Booked.Add((context.DeliveryId, context.Document.Id));
            }

            return Task.FromResult(result);
        }

        Booked.Add((context.DeliveryId, context.Document.Id));
        return Task.FromResult(DeliveryResult.Delivered($"booked-{context.DeliveryId[..8]}"));
    }

    public Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(new ConnectionTestResult(true, "ok"));

    public Task<QuotaUsage> ReadQuotaUsageAsync(ConnectorSettings settings, DateOnly day, CancellationToken cancellationToken)
    {
        QuotaReads++;
        return Task.FromResult(new QuotaUsage("scripted-domain", "The scripted domain", QuotaUsed.GetValueOrDefault(day), QuotaLimit));
    }

    public DateOnly QuotaDay(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);
}
