namespace Koppel.Azure.Tables;

/// <summary>Table keys may not contain / \ # ? or control characters; ids that do are refused, not mangled.</summary>
internal static class TableKeys
{
    public static string Ensure(string value, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, what);
        if (value.Length > 512 || value.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
        {
            throw new ArgumentException($"The {what} '{value}' cannot be a table key: at most 512 characters, without / \\ # ? or control characters.", what);
        }

        return value;
    }
}
