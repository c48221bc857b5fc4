namespace Koppel.Formats.Ubl;

/// <summary>Recognises the profile from the CustomizationID (BT-24).</summary>
public static class UblProfiles
{
    public const string PeppolBis3CustomizationId = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";

    public const string En16931Prefix = "urn:cen.eu:en16931:2017";

    public static UblProfile FromCustomizationId(string? customizationId)
    {
        var id = customizationId?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            return UblProfile.Unknown;
        }

        // UBL.BE (e-FFF 3) declares "...#conformant#urn:UBL.BE:1.0.0.<date>"; test it before the
        // generic EN 16931 prefix it also starts with.
        if (id.Contains("urn:UBL.BE", StringComparison.OrdinalIgnoreCase))
        {
            return UblProfile.UblBe;
        }

        if (id.StartsWith(PeppolBis3CustomizationId, StringComparison.Ordinal))
        {
            return UblProfile.PeppolBis3;
        }

        if (id.Contains("xrechnung", StringComparison.OrdinalIgnoreCase))
        {
            return UblProfile.XRechnung;
        }

        return id.StartsWith(En16931Prefix, StringComparison.Ordinal) ? UblProfile.OtherEn16931 : UblProfile.Unknown;
    }
}
