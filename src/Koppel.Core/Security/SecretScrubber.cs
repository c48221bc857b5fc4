namespace Koppel.Core.Security;

/// <summary>
/// Last line of defence: removes known secret values from text that will be stored or shown (error reasons,
/// run-log text). A provider library may echo a credential in an exception message; it must not reach the ledger.
/// </summary>
public static class SecretScrubber
{
    public const string Mask = "***";

    public static string Scrub(string text, IEnumerable<string> secretValues)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(secretValues);
        foreach (var secret in secretValues.Where(s => s.Length >= 4).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
