using Azure.Data.Tables;
using Koppel.Azure.Secrets;
using Koppel.Azure.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;

namespace Koppel.Azure.Tests.Secrets;

[Collection(AzuriteCollection.Name)]
public sealed class DataProtectionSecretStoreTests : IAsyncLifetime
{
    private const string Value = "s3cr3t-P@ssw0rd-ßé";

    private readonly TestStorage _storage;
    private readonly DirectoryInfo _keyRing = Directory.CreateTempSubdirectory("koppel-keys-");
    private readonly TableClient _table;
    private readonly DataProtectionSecretStore _store;

    public DataProtectionSecretStoreTests(AzuriteFixture azurite)
    {
        _storage = azurite.CreateIsolatedStorage();
        _table = _storage.Clients.Table(_storage.Names.SecretsTable);
        _store = new DataProtectionSecretStore(DataProtectionProvider.Create(_keyRing), _table);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _storage.DisposeAsync();
        _keyRing.Delete(recursive: true);
    }

    [Fact]
    public async Task A_secret_reads_back_and_the_table_holds_no_plaintext()
    {
        await _store.SetAsync("conn/0123456749#sftp", Value, default);

        Assert.Equal(Value, await _store.GetAsync("conn/0123456749#sftp", default));
        IDictionary<string, object> row = Assert.Single(await _table.QueryAsync<TableEntity>().ToListAsync());
        Assert.DoesNotContain("s3cr3t", string.Join("|", row.Values), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unknown_or_deleted_secret_reads_as_null()
    {
        await _store.SetAsync("a", Value, default);
        await _store.DeleteAsync("a", default);

        Assert.Null(await _store.GetAsync("a", default));
        Assert.Null(await _store.GetAsync("never-set", default));
    }

    [Fact]
    public async Task Without_the_key_ring_a_secret_cannot_be_read_and_the_error_does_not_reveal_it()
    {
        await _store.SetAsync("a", Value, default);
        var otherKeyRing = Directory.CreateTempSubdirectory("koppel-keys-other-");
        try
        {
            var storeWithoutKeys = new DataProtectionSecretStore(DataProtectionProvider.Create(otherKeyRing), _table);

            var error = await Assert.ThrowsAsync<SecretStoreException>(() => storeWithoutKeys.GetAsync("a", default));

            Assert.Contains("key ring", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Value, error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            otherKeyRing.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_ciphertext_copied_onto_another_secrets_row_does_not_decrypt_there()
    {
        await _store.SetAsync("victim", Value, default);
        var stolen = (await _table.GetEntityAsync<TableEntity>("secret", "victim")).Value;
        await _table.UpsertEntityAsync(new TableEntity("secret", "attacker") { ["Ciphertext"] = stolen["Ciphertext"] });

        await Assert.ThrowsAsync<SecretStoreException>(() => _store.GetAsync("attacker", default));
    }
}
