using Koppel.Azure.Tables;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Domain;

namespace Koppel.Azure.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableDossierAndConnectionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private readonly TestStorage _storage;
    private readonly TableDossierRepository _dossiers;
    private readonly TableConnectionRepository _connections;

    public TableDossierAndConnectionTests(AzuriteFixture azurite)
    {
        _storage = azurite.CreateIsolatedStorage();
        _dossiers = new TableDossierRepository(_storage.Clients.Table(_storage.Names.DossiersTable));
        _connections = new TableConnectionRepository(_storage.Clients.Table(_storage.Names.ConnectionsTable));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_dossier_is_saved_listed_and_deleted()
    {
        var dossier = new Dossier
        {
            Id = "0123456749",
            Name = "Bakkerij Janssens",
            EnterpriseNumber = "0123456749",
            VatNumber = "BE0123456749",
            ContactEmail = "boekhouding@janssens.be",
            CreatedAt = Now,
            UpdatedAt = Now,
        };

        await _dossiers.UpsertAsync(dossier, default);

        Assert.Equal(dossier, await _dossiers.GetAsync(dossier.Id, default));
        Assert.Equal([dossier], await _dossiers.ListAsync(default).ToListAsync());
        Assert.True(await _dossiers.DeleteAsync(dossier.Id, default));
        Assert.False(await _dossiers.DeleteAsync(dossier.Id, default));
        Assert.Null(await _dossiers.GetAsync(dossier.Id, default));
    }

    [Fact]
    public async Task The_connections_needing_attention_are_found_across_dossiers_but_never_healthy_or_untried_ones()
    {
        Connection Make(string dossier, string id, ConnectionHealthStatus? status) => new()
        {
            Id = id,
            DossierId = dossier,
            Provider = "yuki",
            DocumentKinds = new HashSet<DocumentKind> { DocumentKind.SalesInvoice },
            Options = new Dictionary<string, string>(),
            CreatedAt = Now,
            UpdatedAt = Now,
            Health = status is { } s ? new ConnectionHealth(s, s == ConnectionHealthStatus.Healthy ? null : $"{s} since this morning", Now) : ConnectionHealth.Unknown,
        };
        await _connections.UpsertAsync(Make("0123456749", "a-broken", ConnectionHealthStatus.Broken), default);
        await _connections.UpsertAsync(Make("0123456749", "b-healthy", ConnectionHealthStatus.Healthy), default);
        await _connections.UpsertAsync(Make("0123456749", "c-new", null), default);
        await _connections.UpsertAsync(Make("0200065765", "a-quota", ConnectionHealthStatus.QuotaExhausted), default);
        await _connections.UpsertAsync(Make("0403170701", "a-consent", ConnectionHealthStatus.NeedsConsent), default);

        var first = await _connections.ListNeedingAttentionPageAsync(null, new Koppel.Core.Ports.PageRequest(2), default);
        var rest = await _connections.ListNeedingAttentionPageAsync(null, new Koppel.Core.Ports.PageRequest(2, first.ContinuationToken), default);
        var scoped = await _connections.ListNeedingAttentionPageAsync(["0200065765", "0403170701"], new Koppel.Core.Ports.PageRequest(10), default);

        Assert.Equal(["a-broken", "a-quota", "a-consent"], first.Items.Concat(rest.Items).Select(c => c.Id));
        Assert.Equal("QuotaExhausted since this morning", first.Items[1].Health.Reason);
        Assert.Equal(["a-quota", "a-consent"], scoped.Items.Select(c => c.Id));
    }

    [Fact]
    public async Task A_healthy_connection_with_a_quota_warning_needs_attention_and_loses_it_when_the_warning_is_cleared()
    {
        var warned = new Connection
        {
            Id = "yuki-busy",
            DossierId = "0123456749",
            Provider = "yuki",
            DocumentKinds = new HashSet<DocumentKind> { DocumentKind.SalesInvoice },
            Options = new Dictionary<string, string>(),
            CreatedAt = Now,
            UpdatedAt = Now,
            Health = new ConnectionHealth(ConnectionHealthStatus.Healthy, null, Now) { Warning = "The Yuki domain used 850 of its 1000 daily calls yesterday", WarnedAt = Now },
        };
        await _connections.UpsertAsync(warned, default);

        var listed = Assert.Single((await _connections.ListNeedingAttentionPageAsync(null, new Koppel.Core.Ports.PageRequest(10), default)).Items);
        Assert.Equal((warned.Health.Warning, Now), (listed.Health.Warning, listed.Health.WarnedAt));

        await _connections.UpsertAsync(warned with { Health = warned.Health with { Warning = null, WarnedAt = null } }, default);

        Assert.Empty((await _connections.ListNeedingAttentionPageAsync(null, new Koppel.Core.Ports.PageRequest(10), default)).Items);
        Assert.Null((await _connections.GetAsync("0123456749", "yuki-busy", default))!.Health.Warning);
    }

    [Fact]
    public async Task A_connection_keeps_its_document_kinds_options_and_secret_name()
    {
        var connection = new Connection
        {
            Id = "sftp-main",
            DossierId = "0123456749",
            Provider = "sftp",
            DisplayName = "Boekhouder SFTP",
            DocumentKinds = new HashSet<DocumentKind> { DocumentKind.PurchaseInvoice, DocumentKind.BankStatement },
            Options = new Dictionary<string, string> { ["host"] = "sftp.example.be", ["path"] = "/in" },
            SecretName = "conn-0123456749-sftp-main",
            CreatedAt = Now,
            UpdatedAt = Now,
        };

        await _connections.UpsertAsync(connection, default);
        var read = await _connections.GetAsync("0123456749", "sftp-main", default);

        Assert.NotNull(read);
        Assert.True(read.Wants(DocumentKind.BankStatement));
        Assert.False(read.Wants(DocumentKind.SalesInvoice));
        Assert.Equal(connection.Options, read.Options);
        Assert.Equal(connection.SecretName, read.SecretName);
        Assert.Single(await _connections.ListAsync("0123456749", default).ToListAsync());
        Assert.Empty(await _connections.ListAsync("0200065765", default).ToListAsync());
    }

    [Fact]
    public async Task A_dossier_created_by_another_instance_is_found_at_once_because_a_missing_dossier_is_never_remembered()
    {
        var ingestingInstance = new TableDossierRepository(_storage.Clients.Table(_storage.Names.DossiersTable));
        Assert.Null(await ingestingInstance.GetRecentAsync("0123456749", default));

        await _dossiers.UpsertAsync(new Dossier { Id = "0123456749", Name = "Bakkerij Janssens", EnterpriseNumber = "0123456749", CreatedAt = Now, UpdatedAt = Now }, default);

        Assert.Equal("Bakkerij Janssens", (await ingestingInstance.GetRecentAsync("0123456749", default))?.Name);
    }

    [Fact]
    public async Task A_connection_disabled_through_this_process_is_seen_disabled_by_its_next_delivery_at_once()
    {
        var connection = new Connection
        {
            Id = "sftp-main",
            DossierId = "0123456749",
            Provider = "sftp",
            DocumentKinds = new HashSet<DocumentKind> { DocumentKind.PurchaseInvoice },
            CreatedAt = Now,
            UpdatedAt = Now,
        };
        await _connections.UpsertAsync(connection, default);
        Assert.True((await _connections.GetRecentAsync("0123456749", "sftp-main", default))!.Enabled); // now remembered

        await _connections.UpsertAsync(connection with { Enabled = false }, default);

        Assert.False((await _connections.GetRecentAsync("0123456749", "sftp-main", default))!.Enabled);
        await _connections.DeleteAsync("0123456749", "sftp-main", default);
        Assert.Null(await _connections.GetRecentAsync("0123456749", "sftp-main", default));
    }
}
