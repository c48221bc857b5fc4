using Koppel.Azure.Secrets;
using Koppel.Azure.Tests.Infrastructure;

namespace Koppel.Azure.Tests.Secrets;

public sealed class KeyVaultSecretStoreTests : IAsyncLifetime
{
    private const string Value = "yuki-api-key-7f3a9c";

    private readonly FakeTokenCredential _credential = new();
    private FakeKeyVault _vault = null!;
    private KeyVaultSecretStore _store = null!;

    public async Task InitializeAsync()
    {
        _vault = await FakeKeyVault.StartAsync();
        _store = new KeyVaultSecretStore(_vault.CreateClient(_credential));
    }

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task A_secret_reads_back_after_it_was_stored()
    {
        await _store.SetAsync("conn-0123456749-yuki", Value, default);

        Assert.Equal(Value, await _store.GetAsync("conn-0123456749-yuki", default));
        Assert.Contains("https://vault.azure.net/.default", _credential.Scopes);
    }

    [Fact]
    public async Task A_secret_that_does_not_exist_reads_as_null()
    {
        Assert.Null(await _store.GetAsync("never-stored", default));
    }

    [Fact]
    public async Task A_deleted_secret_reads_as_null_and_deleting_again_is_harmless()
    {
        await _store.SetAsync("temp", Value, default);

        await _store.DeleteAsync("temp", default);
        await _store.DeleteAsync("temp", default);

        Assert.Null(await _store.GetAsync("temp", default));
    }

    [Fact]
    public async Task A_secret_can_be_stored_again_under_a_name_that_was_soft_deleted()
    {
        await _store.SetAsync("conn-1", "old", default);
        await _store.DeleteAsync("conn-1", default);

        await _store.SetAsync("conn-1", Value, default);

        Assert.Equal(Value, await _store.GetAsync("conn-1", default));
        Assert.Empty(_vault.Deleted);
    }

    [Fact]
    public async Task A_name_key_vault_does_not_accept_is_stored_under_a_valid_name_of_its_own()
    {
        await _store.SetAsync("conn/0123456749_yuki", Value, default);
        await _store.SetAsync("conn.0123456749.yuki", "other", default);

        Assert.Equal(Value, await _store.GetAsync("conn/0123456749_yuki", default));
        Assert.Equal("other", await _store.GetAsync("conn.0123456749.yuki", default));
        Assert.All(_vault.Secrets.Keys, name => Assert.Matches("^[0-9a-zA-Z-]{1,127}$", name));
    }

    [Fact]
    public async Task A_refused_write_names_the_secret_but_never_its_value()
    {
        _vault.FailWritesWith = 403;

        var error = await Assert.ThrowsAsync<SecretStoreException>(() => _store.SetAsync("conn-0123456749-yuki", Value, default));

        Assert.Contains("conn-0123456749-yuki", error.Message, StringComparison.Ordinal);
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Value, error.ToString(), StringComparison.Ordinal);
    }
}
