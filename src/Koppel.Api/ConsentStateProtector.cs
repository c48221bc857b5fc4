using System.Security.Cryptography;
using System.Text.Json;
using Koppel.Core.Security;
using Microsoft.AspNetCore.DataProtection;

namespace Koppel.Api;

/// <summary>
/// Seals an OAuth <c>state</c> with ASP.NET Core Data Protection (authenticated encryption with the host's key ring),
/// time-limited: a state cannot be read, forged or changed to name another dossier, and is worthless after
/// <see cref="Lifetime"/>. The provider's authorisation code lives only minutes anyway.
/// </summary>
public sealed class ConsentStateProtector(IDataProtectionProvider provider, TimeProvider clock) : IConsentStateProtector
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private readonly ITimeLimitedDataProtector _protector =
        provider.CreateProtector("Koppel.OAuthConsent.State.v1").ToTimeLimitedDataProtector();

    public string Protect(ConsentState state) =>
        _protector.Protect(JsonSerializer.Serialize(state), clock.GetUtcNow() + Lifetime);

    public ConsentState? Unprotect(string protectedState)
    {
        try
        {
            var json = _protector.Unprotect(protectedState, out var expiration);
            return expiration < clock.GetUtcNow() ? null : JsonSerializer.Deserialize<ConsentState>(json);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }
}

/// <summary>The body of the consent callback: what the provider appended to the redirect URI.</summary>
public sealed record ConsentCallbackInput(string? Code, string? State);
