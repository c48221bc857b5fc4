using Koppel.Connectors.Yuki;

namespace Koppel.Connectors.Tests.Yuki;

public sealed class YukiFaultsTests
{
    [Theory]
    [InlineData("Server was unable to process request. ---> Invalid SessionID", "InvalidSession")]
    [InlineData("Sessie is verlopen", "InvalidSession")]
    [InlineData("Server was unable to process request. ---> The maximum number of webservice calls for this domain has been reached", "QuotaReached")]
    [InlineData("Daily quota exceeded", "QuotaReached")]
    [InlineData("Invalid access key", "InvalidKey")]
    [InlineData("This domain has no active database", "NoAccess")]
    [InlineData("Maximum length exceeded for field Description", "Other")]
    [InlineData("Boekjaar 2026 is afgesloten", "Other")]
    public void A_fault_is_known_by_its_wording(string faultString, string expected)
    {
        Assert.Equal(expected, YukiFaults.Classify("ProcessSalesInvoices", faultString).ToString());
    }

    [Fact]
    public void Any_fault_of_Authenticate_that_is_not_about_the_quota_means_the_key_was_refused()
    {
        Assert.Equal(YukiFaultKind.InvalidKey, YukiFaults.Classify("Authenticate", "Object reference not set to an instance of an object."));
        Assert.Equal(YukiFaultKind.QuotaReached, YukiFaults.Classify("Authenticate", "Too many requests"));
    }
}
