namespace Koppel.Core.Security;

/// <summary>
/// Seals the OAuth <c>state</c> parameter: what consent it belongs to, in a form nobody can read, guess or forge,
/// valid for a short time only. The callback trusts the dossier and connection only as they come out of
/// <see cref="Unprotect"/>, never as a caller names them.
/// </summary>
public interface IConsentStateProtector
{
    string Protect(ConsentState state);

    /// <summary>The state, or null when it was tampered with, made by another installation, or has expired.</summary>
    ConsentState? Unprotect(string protectedState);
}

/// <summary>The consent a <c>state</c> stands for. <see cref="Nonce"/> makes every state unique.</summary>
public sealed record ConsentState(string DossierId, string ConnectionId, string Provider, string Nonce);
