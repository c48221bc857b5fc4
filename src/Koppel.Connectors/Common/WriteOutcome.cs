namespace Koppel.Connectors.Common;

public enum WriteOutcome
{
    Written,

    /// <summary>The file was already there with the expected size: an earlier attempt got this far before it crashed.</summary>
    AlreadyPresent,
}
