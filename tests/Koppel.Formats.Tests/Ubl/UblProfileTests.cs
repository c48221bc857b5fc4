using Koppel.Formats.Ubl;

namespace Koppel.Formats.Tests.Ubl;

public sealed class UblProfileTests
{
    [Theory]
    [InlineData("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0", UblProfile.PeppolBis3)]
    [InlineData("urn:cen.eu:en16931:2017#conformant#urn:UBL.BE:1.0.0.20180214", UblProfile.UblBe)]
    [InlineData("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0", UblProfile.XRechnung)]
    [InlineData("urn:cen.eu:en16931:2017", UblProfile.OtherEn16931)]
    [InlineData("urn:example:something-else", UblProfile.Unknown)]
    [InlineData("", UblProfile.Unknown)]
    [InlineData(null, UblProfile.Unknown)]
    public void The_profile_is_recognised_from_the_customization_id(string? customizationId, UblProfile expected) =>
        Assert.Equal(expected, UblProfiles.FromCustomizationId(customizationId));
}
