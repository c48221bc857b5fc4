using Azure;
using Azure.Security.KeyVault.Secrets;
using Koppel.Core.Ports;

namespace Koppel.Azure.Secrets;

/// <summary>
/// Secrets in Azure Key Vault. Failures are rethrown with the secret's name, status and error code only: the
/// SDK's own exception text includes the service's response, which we do not want to vouch for.
/// </summary>
public sealed class KeyVaultSecretStore : ISecretStore
{
    private readonly SecretClient _client;

    public KeyVaultSecretStore(SecretClient client) => _client = client;

    public async Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var vaultName = KeyVaultSecretNames.ToVaultName(name);
        try
        {
            try
            {
                await _client.SetSecretAsync(vaultName, value, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // The name is soft-deleted (ObjectIsDeletedButRecoverable) and cannot be reused until it is
                // recovered or purged. Recovering keeps the vault's history; the new value then becomes the latest version.
                var recovery = await _client.StartRecoverDeletedSecretAsync(vaultName, cancellationToken);
                await recovery.WaitForCompletionAsync(cancellationToken);
                await _client.SetSecretAsync(vaultName, value, cancellationToken);
            }
        }
        catch (RequestFailedException e)
        {
            throw Failure("store", name, e);
        }
    }

    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var vaultName = KeyVaultSecretNames.ToVaultName(name);
        try
        {
            var secret = await _client.GetSecretAsync(vaultName, cancellationToken: cancellationToken);
            return secret.Value.Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException e)
        {
            throw Failure("read", name, e);
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var vaultName = KeyVaultSecretNames.ToVaultName(name);
        try
        {
            // Soft delete: the vault keeps it recoverable for its retention period, which is what an operator wants
            // after a mistaken delete. Waiting for the purge is not needed.
            await _client.StartDeleteSecretAsync(vaultName, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone: deleting is idempotent.
        }
        catch (RequestFailedException e)
        {
            throw Failure("delete", name, e);
        }
    }

    private static SecretStoreException Failure(string action, string name, RequestFailedException e) =>
        new($"Key Vault could not {action} secret '{name}': status {e.Status}, error code '{e.ErrorCode ?? "none"}'.");
}
