using Koppel.Azure.Secrets;

namespace Koppel.Azure.Tests.Secrets;

public sealed class KeyVaultSecretNamesTests
{
    [Fact]
    public void A_valid_name_is_kept_as_it_is() =>
        Assert.Equal("conn-0123456749-yuki", KeyVaultSecretNames.ToVaultName("conn-0123456749-yuki"));

    [Fact]
    public void Names_that_differ_only_in_invalid_characters_stay_different()
    {
        var underscore = KeyVaultSecretNames.ToVaultName("a_b");
        var dot = KeyVaultSecretNames.ToVaultName("a.b");

        Assert.NotEqual(underscore, dot);
        Assert.StartsWith("a-b-", underscore, StringComparison.Ordinal);
    }

    [Fact]
    public void A_very_long_name_is_shortened_to_what_key_vault_accepts() =>
        Assert.Matches("^[0-9a-zA-Z-]{1,127}$", KeyVaultSecretNames.ToVaultName(new string('x', 200) + "/é"));
}
