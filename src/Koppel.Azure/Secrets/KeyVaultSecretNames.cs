using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Koppel.Azure.Secrets;

/// <summary>
/// Key Vault accepts only ^[0-9a-zA-Z-]{1,127}$. Valid names are used as they are; any other name has its invalid
/// characters replaced and a hash of the original appended, so "a_b" and "a.b" stay two different secrets.
/// </summary>
public static partial class KeyVaultSecretNames
{
    private const int MaxLength = 127;
    private const int HashLength = 12;

    public static string ToVaultName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (ValidName().IsMatch(name))
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..HashLength];
        var readable = InvalidCharacters().Replace(name, "-");
        var room = MaxLength - HashLength - 1;
        if (readable.Length > room)
        {
            readable = readable[..room];
        }

        return $"{readable}-{hash}";
    }

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex ValidName();

    [GeneratedRegex("[^0-9a-zA-Z-]")]
    private static partial Regex InvalidCharacters();
}
