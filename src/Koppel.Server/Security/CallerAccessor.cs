using System.Security.Claims;
using Koppel.Core.Domain;
using Koppel.Core.Security;

namespace Koppel.Server.Security;

/// <summary>Turns the authenticated user into the Core's <see cref="Caller"/>.</summary>
public static class CallerAccessor
{
    public static Caller ToCaller(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = user.Identity?.Name ?? "anonymous";
        var dossiers = user.FindAll(ApiKeyAuthenticationHandler.DossierClaim).Select(c => c.Value).ToList();
        if (dossiers.Contains("*"))
        {
            return Caller.ForAll(name);
        }

        // Keys may list enterprise numbers in any usual notation; the Core compares canonical ids.
        var canonical = dossiers.Select(d => EnterpriseNumber.TryParse(d, out var n, out _) ? n.Value.Value : d);
        return Caller.ForDossiers(name, canonical);
    }
}
