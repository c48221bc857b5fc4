namespace Koppel.Azure;

/// <summary>Configuration section <c>Koppel:Azure</c>.</summary>
public sealed class KoppelAzureOptions
{
    public const string SectionName = "Koppel:Azure";

    /// <summary>Storage connection string (Azurite or a real account). Required unless the service URIs are set.</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>With managed identity instead of a connection string: https://{account}.blob.core.windows.net etc.</summary>
    public Uri? BlobServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    public Uri? TableServiceUri { get; set; }

    /// <summary>Prefix for every container, table and queue name; see <see cref="KoppelStorageNames"/>.</summary>
    public string NamePrefix { get; set; } = "";

    /// <summary>When set, secrets live in this Key Vault; otherwise in the secrets table, protected by Data Protection.</summary>
    public Uri? KeyVaultUri { get; set; }

    /// <summary>
    /// Where the Data Protection key ring is kept for the self-hosted secret store. Operators must back this directory up:
    /// without it no stored secret can be decrypted.
    /// </summary>
    public string KeyRingDirectory { get; set; } = Path.Combine(".koppel", "keys");

    internal void Validate()
    {
        var hasServiceUris = BlobServiceUri is not null && QueueServiceUri is not null && TableServiceUri is not null;
        if (string.IsNullOrWhiteSpace(StorageConnectionString) && !hasServiceUris)
        {
            throw new InvalidOperationException(
                $"{SectionName}: set StorageConnectionString, or all of BlobServiceUri, QueueServiceUri and TableServiceUri.");
        }

        _ = new KoppelStorageNames(NamePrefix);
    }
}
