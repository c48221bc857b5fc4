namespace Koppel.Connectors.Sftp;

/// <summary>The server showed another host key than the pinned one: possibly a man in the middle, so never retried.</summary>
public sealed class HostKeyMismatchException : Exception
{
    public HostKeyMismatchException(string host, string expected, string actual)
        : base($"host key mismatch for {host}: expected {expected}, got {actual}. If the server's key was changed on purpose, pin the new fingerprint.")
    {
        Expected = expected;
        Actual = actual;
    }

    public string Expected { get; }

    public string Actual { get; }
}
