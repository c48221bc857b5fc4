using System.Net.Security;

namespace Koppel.Webhooks;

/// <summary>How webhook posts go out. Not bound from configuration: the defaults are what production needs.</summary>
public sealed class WebhookHttpOptions
{
    /// <summary>
    /// Replaces the operating system's check of the receiver's TLS certificate. Only tests set it (their webhook server
    /// has a self-signed certificate); production keeps the system's trust store.
    /// </summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }
}
