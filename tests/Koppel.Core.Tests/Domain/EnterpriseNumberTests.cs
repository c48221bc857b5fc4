using Koppel.Core.Domain;

namespace Koppel.Core.Tests.Domain;

public class EnterpriseNumberTests
{
    [Theory]
    [InlineData("0403170701", "0403170701")]
    [InlineData("BE0403.170.701", "0403170701")]
    [InlineData("0403 170 701", "0403170701")]
    [InlineData("403170701", "0403170701")]
    public void Usual_notations_parse_to_ten_digits(string text, string expected)
    {
        Assert.True(EnterpriseNumber.TryParse(text, out var number, out var problem), problem);
        Assert.Equal(expected, number!.Value.Value);
        Assert.Equal("BE" + expected, number.Value.VatNumber);
    }

    [Fact]
    public void A_wrong_check_digit_is_refused_with_the_right_one_named()
    {
        Assert.False(EnterpriseNumber.TryParse("0403170702", out _, out var problem));
        Assert.Contains("mod-97", problem, StringComparison.Ordinal);
        Assert.Contains("01", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("NL0403170701")]
    [InlineData("2403170701")]
    public void Other_text_is_refused(string text) => Assert.False(EnterpriseNumber.TryParse(text, out _, out _));
}
