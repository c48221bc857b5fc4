namespace Koppel.Connectors.PingWin;

/// <summary>
/// PingWin's direct document API, to be written when PingWin hands over its partner specification (it is not public).
/// What is known: it authenticates with the API key, the CLID and the file id, and exchanges invoices as e-FFF
/// (Belgian UBL). Not registered: <see cref="PingWinConnector"/> delivers through e-mail or SFTP until then.
/// </summary>
internal interface IPingWinDirectApi
{
    /// <summary>Hands one e-FFF invoice to the PingWin file; returns PingWin's reference for it.</summary>
    Task<string> SendInvoiceAsync(string apiKey, string clid, string fileId, Stream eFff, CancellationToken cancellationToken);
}

/// <summary>The placeholder: every call says the specification is pending.</summary>
internal sealed class PingWinDirectApi : IPingWinDirectApi
{
    public Task<string> SendInvoiceAsync(string apiKey, string clid, string fileId, Stream eFff, CancellationToken cancellationToken) =>
        throw new NotSupportedException("PingWin's document API is pending PingWin's specification.");
}
