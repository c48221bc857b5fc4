namespace Koppel.Server.Security;

/// <summary>
/// Configuration section <c>Koppel:Api:Jwt</c>: bearer tokens from the platform's identity provider, next to API keys.
/// Only public material is configured (an OpenID authority, or the issuer's public key), never a signing secret.
/// The token's <c>koppel:dossier</c> claims (enterprise numbers, or "*") say which dossiers the caller may see.
/// </summary>
public sealed class JwtOptions
{
    public const string SectionName = "Koppel:Api:Jwt";

    /// <summary>OpenID Connect authority whose metadata gives the signing keys, e.g. https://login.microsoftonline.com/{tenant}/v2.0.</summary>
    public string? Authority { get; set; }

    /// <summary>Alternatively the issuer's RSA public key (PEM), for identity providers without discovery.</summary>
    public string? IssuerPublicKeyPem { get; set; }

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Audience) && (!string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(IssuerPublicKeyPem));
}
