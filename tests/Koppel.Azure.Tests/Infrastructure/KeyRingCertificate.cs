using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Koppel.Azure.Tests.Infrastructure;

/// <summary>A self-signed certificate as the two PEM files an operator configures to encrypt the key ring.</summary>
public static class KeyRingCertificate
{
    public static (string CertificatePath, string KeyPath) CreateIn(string folder)
    {
        Directory.CreateDirectory(folder);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=koppel-key-ring", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        var certificatePath = Path.Combine(folder, "key-ring.crt.pem");
        var keyPath = Path.Combine(folder, "key-ring.key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
