using Koppel.Core.Relations;

namespace Koppel.Core.Tests.Relations;

public sealed class RelationKeysTests
{
    [Theory]
    [InlineData("BE0403.170.701", "BE0403170701")]
    [InlineData("be 0403 170 701", "BE0403170701")]
    [InlineData("0403170701", "BE0403170701")]
    [InlineData("BE403170701", "BE0403170701")]
    [InlineData("NL 8528.34.920B01", "NL852834920B01")]
    [InlineData("  ", null)]
    public void A_VAT_number_is_one_key_however_it_is_written(string text, string? expected) =>
        Assert.Equal(expected, RelationKeys.Vat(text));

    [Theory]
    [InlineData("BE0403.170.701", "0403170701")]
    [InlineData("0403 170 701", "0403170701")]
    [InlineData("403170701", "0403170701")]
    [InlineData("NL852834920B01", null)]
    public void An_enterprise_number_is_ten_digits_with_or_without_BE_and_dots(string text, string? expected) =>
        Assert.Equal(expected, RelationKeys.Enterprise(text));

    [Fact]
    public void A_name_matches_regardless_of_case_accents_dots_and_spaces() =>
        Assert.Equal(RelationKeys.Name("Bakkerij Janssens B.V."), RelationKeys.Name("  BAKKERIJ   janssens bv "));

    [Fact]
    public void Different_names_stay_different() =>
        Assert.NotEqual(RelationKeys.Name("Café Noël"), RelationKeys.Name("Cafe Noelle"));

    [Fact]
    public void An_iban_loses_its_spaces_and_case() =>
        Assert.Equal("BE68539007547034", RelationKeys.Iban("be68 5390 0754 7034"));

    [Fact]
    public void A_row_key_never_holds_characters_table_storage_refuses()
    {
        var key = RelationRows.Party("c1", "a/b#c?d\\e|f%g");

        Assert.DoesNotContain('/', key);
        Assert.DoesNotContain('#', key);
        Assert.DoesNotContain('?', key);
        Assert.DoesNotContain('\\', key);
        Assert.Equal(("c1", "a/b#c?d\\e|f%g"), RelationRows.Target(RelationRows.Lookup(PartyKey.Name, "X", "c1", "a/b#c?d\\e|f%g")));
    }
}
