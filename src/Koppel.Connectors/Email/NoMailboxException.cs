using Koppel.Core.Domain;

namespace Koppel.Connectors.Email;

/// <summary>The connection wants this kind but names no mailbox for it: a set-up gap a retry cannot fix.</summary>
public sealed class NoMailboxException : Exception
{
    public NoMailboxException(DocumentKind kind)
        : base($"no mailbox for kind {kind}: set '{EmailSettings.MailboxPrefix}{kind}' on the connection, or stop sending {kind} documents to it.")
    {
        Kind = kind;
    }

    public DocumentKind Kind { get; }
}
