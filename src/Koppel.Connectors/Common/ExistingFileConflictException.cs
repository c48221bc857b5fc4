namespace Koppel.Connectors.Common;

/// <summary>
/// The deterministic target name is taken by a file of another size: it is not ours, and overwriting it
/// could destroy someone's document, so the delivery stops for a human to look.
/// </summary>
public sealed class ExistingFileConflictException : Exception
{
    public ExistingFileConflictException(string location, long existingSize, long expectedSize)
        : base($"'{location}' already exists with {existingSize} bytes where this delivery has {expectedSize}; Koppel does not overwrite a file it did not write.")
    {
    }
}
