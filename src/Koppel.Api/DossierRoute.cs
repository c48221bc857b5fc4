using Koppel.Core.Domain;
using Koppel.Core.Errors;

namespace Koppel.Api;

/// <summary>Turns the {dossierId} route value into the canonical dossier id.</summary>
public static class DossierRoute
{
    /// <summary>Routes accept the enterprise number in any usual notation (0123.456.749, BE0123456749).</summary>
    public static string Canonical(string routeValue) =>
        EnterpriseNumber.TryParse(routeValue, out var number, out _)
            ? number.Value.Value
            : throw new ResourceNotFoundException($"'{routeValue}' is not an enterprise number, so no dossier has it.");
}
