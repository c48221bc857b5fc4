using System.Security.Cryptography;
using Azure.Data.Tables;
using Koppel.Azure.Tables;
using Koppel.Core.Ports;
using Microsoft.AspNetCore.DataProtection;

namespace Koppel.Azure.Secrets;

/// <summary>
/// The self-hosted secret store: values encrypted with ASP.NET Core Data Protection and kept in a table, so it
/// works on Azurite and on real storage alike. The key ring lives elsewhere (a directory operators back up);
/// the table alone reveals nothing.
/// </summary>
public sealed class DataProtectionSecretStore : ISecretStore
{
    public const string Purpose = "Koppel.Secrets.v1";
    private const string Partition = "secret";
    private const string CiphertextColumn = "Ciphertext";

    private readonly IDataProtector _protector;
    private readonly KoppelTable _table;

    public DataProtectionSecretStore(IDataProtectionProvider dataProtection, TableClient table)
    {
        ArgumentNullException.ThrowIfNull(dataProtection);
        _protector = dataProtection.CreateProtector(Purpose);
        _table = new KoppelTable(table);
    }

    public Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var entity = new TableEntity(Partition, RowKey(name))
        {
            [CiphertextColumn] = ProtectorFor(name).Protect(value),
        };
        return _table.UpsertAsync(entity, cancellationToken);
    }

    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var entity = await _table.GetAsync(Partition, RowKey(name), cancellationToken);
        if (entity?.GetString(CiphertextColumn) is not { } ciphertext)
        {
            return null;
        }

        try
        {
            return ProtectorFor(name).Unprotect(ciphertext);
        }
        catch (CryptographicException e)
        {
            throw new SecretStoreException(
                $"Secret '{name}' cannot be decrypted: the Data Protection key that protected it is not in the key ring. " +
                "Restore the key-ring directory from backup.",
                e);
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        await _table.DeleteAsync(Partition, RowKey(name), cancellationToken);

    /// <summary>
    /// Each secret gets its own sub-purpose, so a ciphertext copied onto another secret's row does not decrypt there.
    /// </summary>
    private IDataProtector ProtectorFor(string name) => _protector.CreateProtector(name);

    /// <summary>Percent-encoding keeps any name usable as a row key (no / \ # ?) and stays reversible.</summary>
    private static string RowKey(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Uri.EscapeDataString(name);
    }
}
