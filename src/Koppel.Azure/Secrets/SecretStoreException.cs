namespace Koppel.Azure.Secrets;

/// <summary>A secret store call failed. The message names the secret, never its value.</summary>
public sealed class SecretStoreException : Exception
{
    public SecretStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
