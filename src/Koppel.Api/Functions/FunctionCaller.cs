using System.Text;
using System.Text.Json;
using Koppel.Core.Domain;
using Koppel.Core.Security;
using Microsoft.AspNetCore.Http;

namespace Koppel.Api.Functions;

/// <summary>
/// Who is calling a Functions HTTP trigger. A function key proves only "holds a key of this app": it carries no name
/// and no dossiers, and Koppel's keys are handed to trusted back-office systems, so a key alone acts for every dossier
/// (<c>Caller.ForAll("function-key")</c>). When App Service Authentication (Easy Auth) runs in front of the app, the
/// platform adds <c>X-MS-CLIENT-PRINCIPAL</c>; its <c>koppel:dossier</c> claims then narrow the caller to those dossiers
/// ("*" for all). A principal without such claims may see no dossier: an identity is never widened to "all" by default.
/// A client could forge the principal header only where Easy Auth is off, and then it can only narrow what its key
/// allows already. <c>x-koppel-caller</c> is a self-declared name for the run log ("started by"), never a permission.
/// </summary>
public static class FunctionCaller
{
    public const string CallerHeader = "x-koppel-caller";
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    public const string PrincipalNameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";
    public const string DossierClaim = "koppel:dossier";
    public const string FunctionKeyName = "function-key";

    private const int MaxNameLength = 100;

    public static Caller From(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var declared = Clean(headers[CallerHeader].ToString());
        var principalName = Clean(headers[PrincipalNameHeader].ToString());
        var name = principalName ?? (declared is null ? FunctionKeyName : $"{FunctionKeyName}:{declared}");

        var principal = headers[PrincipalHeader].ToString();
        if (string.IsNullOrEmpty(principal))
        {
            return Caller.ForAll(name);
        }

        var dossiers = DossierClaims(principal);
        return dossiers.Contains("*")
            ? Caller.ForAll(name)
            : Caller.ForDossiers(name, dossiers.Select(d => EnterpriseNumber.TryParse(d, out var n, out _) ? n.Value.Value : d));
    }

    /// <summary>The koppel:dossier claims of Easy Auth's base64 JSON principal; none when it cannot be read.</summary>
    private static List<string> DossierClaims(string encodedPrincipal)
    {
        try
        {
            using var json = JsonDocument.Parse(Convert.FromBase64String(encodedPrincipal));
            if (!json.RootElement.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            return claims.EnumerateArray()
                .Where(c => c.ValueKind == JsonValueKind.Object
                    && c.TryGetProperty("typ", out var typ) && typ.ValueKind == JsonValueKind.String && typ.GetString() == DossierClaim
                    && c.TryGetProperty("val", out var val) && val.ValueKind == JsonValueKind.String)
                .Select(c => c.GetProperty("val").GetString()!)
                .ToList();
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return [];
        }
    }

    private static string? Clean(string value)
    {
        var printable = new StringBuilder();
        foreach (var ch in value.Trim())
        {
            if (!char.IsControl(ch) && printable.Length < MaxNameLength)
            {
                printable.Append(ch);
            }
        }

        return printable.Length == 0 ? null : printable.ToString();
    }
}
