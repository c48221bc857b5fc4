using Azure;
using Koppel.Azure;

namespace Koppel.Azure.Tests.Infrastructure;

/// <summary>A prefixed slice of the storage account that removes everything it may have created when disposed.</summary>
public sealed class TestStorage : IAsyncDisposable
{
    public TestStorage(KoppelStorageClients clients) => Clients = clients;

    public KoppelStorageClients Clients { get; }

    public KoppelStorageNames Names => Clients.Names;

    public async ValueTask DisposeAsync()
    {
        var n = Names;
        foreach (var container in new[] { n.InboxContainer, n.ArchiveContainer, n.QuarantineContainer })
        {
            await Clients.Container(container).DeleteIfExistsAsync();
        }

        foreach (var table in new[] { n.DossiersTable, n.ConnectionsTable, n.DocumentsTable, n.DeliveriesTable, n.RunLogTable, n.HistoryTable, n.SecretsTable, n.LeasesTable, n.QuotaTable })
        {
            try
            {
                await Clients.Tables.DeleteTableAsync(table);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // never created by this test
            }
        }

        foreach (var queue in new[] { n.DeliveryQueue, n.DeliveryPoisonQueue })
        {
            await Clients.Queue(queue).DeleteIfExistsAsync();
        }
    }
}
