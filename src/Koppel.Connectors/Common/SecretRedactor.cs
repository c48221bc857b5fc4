namespace Koppel.Connectors.Common;

/// <summary>
/// Last line of defence: removes secret values from any text that leaves a connector (result reasons,
/// test messages), in case a server or library echoes one back in an error.
/// </summary>
internal sealed class SecretRedactor
{
    private const string Mask = "***";
    private readonly string[] _secrets;

    public SecretRedactor(params string?[] secrets)
    {
        // Longest first, so a secret that contains another is masked as a whole.
        _secrets = secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).OrderByDescending(s => s.Length).ToArray();
    }

    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
