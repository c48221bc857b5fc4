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

    /// <summary>
    /// PEM file of the certificate that encrypts the key ring at rest (with <see cref="KeyRingCertificateKeyPath"/>, its
    /// private key). Keep it apart from the key ring and its backups: whoever has both can read every stored credential.
    /// </summary>
    public string? KeyRingCertificatePath { get; set; }

    public string? KeyRingCertificateKeyPath { get; set; }

    /// <summary>After a certificate change, the previous one (PEM), so keys it encrypted can still be read.</summary>
    public string? KeyRingPreviousCertificatePath { get; set; }

    public string? KeyRingPreviousCertificateKeyPath { get; set; }

    /// <summary>Only for a developer's machine: keep the key ring unencrypted instead of refusing to start without a certificate.</summary>
    public bool AllowUnprotectedKeyRing { get; set; }

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
