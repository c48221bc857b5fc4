namespace Koppel.Azure.Blobs;

/// <summary>
/// Path checks for names that come from outside (producers, the API). A name that could climb out of its
/// dossier folder or be read differently by another tool is refused rather than cleaned up silently.
/// </summary>
internal static class BlobPathRules
{
    public static void EnsureSegment(string value, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, what);
        if (value.Contains('/', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} '{value}' must not contain a slash.", what);
        }

        EnsureNoDotSegments(value, what);
    }

    public static void EnsurePath(string path, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path, what);
        if (path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} '{path}' must be relative and use forward slashes.", what);
        }

        EnsureNoDotSegments(path, what);
    }

    public static bool IsSafePath(string path)
    {
        try
        {
            EnsurePath(path, nameof(path));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void EnsureNoDotSegments(string value, string what)
    {
        // Only whole segments climb: "inv..xml" is an ordinary name, "../x" and "a/./b" are not.
        if (value.Split('/').Any(segment => segment is "." or ".." or ""))
        {
            throw new ArgumentException($"The {what} '{value}' must not contain '..', '.' or empty segments.", what);
        }

        if (value.Any(char.IsControl))
        {
            throw new ArgumentException($"The {what} must not contain control characters.", what);
        }
    }
}
