using System.Collections.Concurrent;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Core.Tests.ReadBack;

// A file target with the acknowledgement convention: each delivery is a file whose place the test moves around.
public sealed class FolderTarget : IConnector, IAcknowledgementReader
{
    public ConcurrentDictionary<string, AcknowledgementStatus> Files { get; } = new(StringComparer.Ordinal);

    public List<int> BatchSizes { get; } = [];

    /// <summary>When set, every read fails with this message (the target is down, the credentials are refused).</summary>
    public string? FailWith { get; set; }

    /// <summary>When set, every read waits for it: lets two runs be in the middle of a read at the same time.</summary>
    public Func<Task>? BeforeAnswer { get; set; }

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = "folder-target",
        DisplayName = "Folder target",
        Capabilities = ConnectorCapabilities.Deliver,
        Delivers = Enum.GetValues<DocumentKind>().ToDictionary(k => k, _ => DeliveryMode.HandOver),
        Settings = [new SettingField("acknowledgements", "on or off"), new SettingField("password", "A credential", Secret: true)],
    };

    public Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        var path = $"/Koppel/{context.Document.Id}.xml";
        Files[path] = AcknowledgementStatus.Waiting;
        return Task.FromResult(DeliveryResult.Delivered(path));
    }

    public Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(new ConnectionTestResult(true, "ok"));

    public bool UsesAcknowledgements(ConnectorSettings settings) => settings.Get("acknowledgements") == "on";

    public async Task<IReadOnlyList<Acknowledgement>> ReadAcknowledgementsAsync(ConnectorSettings settings, IReadOnlyList<string> deliveredReferences, CancellationToken cancellationToken)
    {
        lock (BatchSizes)
        {
            BatchSizes.Add(deliveredReferences.Count);
        }

        if (BeforeAnswer is { } wait)
        {
            await wait();
        }

        if (FailWith is { } failure)
        {
            throw new HttpRequestException(failure);
        }

        return [.. deliveredReferences.Select(r => new Acknowledgement(r, Files.GetValueOrDefault(r, AcknowledgementStatus.Gone), Files.GetValueOrDefault(r) switch
        {
            AcknowledgementStatus.Processed => r.Replace("/Koppel/", "/Koppel/processed/", StringComparison.Ordinal),
            AcknowledgementStatus.Rejected => r.Replace("/Koppel/", "/Koppel/error/", StringComparison.Ordinal),
            _ => null,
        }))];
    }
}

// A provider that processes documents later and answers a status per reference (like Onea).
public sealed class StatusProvider : IConnector, IDeliveryStatusReader
{
    public ConcurrentDictionary<string, ProviderStatus> Statuses { get; } = new(StringComparer.Ordinal);

    public ConcurrentBag<string> Asked { get; } = [];

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = "status-provider",
        DisplayName = "Status provider",
        Capabilities = ConnectorCapabilities.Deliver,
        Delivers = Enum.GetValues<DocumentKind>().ToDictionary(k => k, _ => DeliveryMode.HandOver),
        Settings = [new SettingField("password", "A credential", Secret: true)],
    };

    public Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        var reference = "sp-" + context.Document.Id[..12];
        Statuses[reference] = new ProviderStatus(ProviderStatusKind.Pending, "Status provider is still processing the invoice (received).");
        return Task.FromResult(DeliveryResult.Delivered(reference));
    }

    public Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(new ConnectionTestResult(true, "ok"));

    public Task<ProviderStatus> ReadStatusAsync(ConnectorSettings settings, string reference, CancellationToken cancellationToken)
    {
        Asked.Add(reference);
        return Task.FromResult(Statuses[reference]);
    }
}
