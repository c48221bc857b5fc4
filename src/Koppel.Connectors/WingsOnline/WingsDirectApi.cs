namespace Koppel.Connectors.WingsOnline;

/// <summary>
/// The Wings Web Service Module (a SOAP layer over Wings' XML import, invoices as e-FFF / Peppol BIS UBL), to be
/// written when Wings hands over its documentation. Not registered: <see cref="WingsOnlineConnector"/> delivers
/// through e-mail or SFTP until then.
/// </summary>
internal interface IWingsDirectApi
{
    /// <summary>Books one e-FFF invoice into <paramref name="journal"/> of the Wings file; returns Wings' reference.</summary>
    Task<string> SendInvoiceAsync(string user, string password, string internalNumber, string journal, Stream eFff, CancellationToken cancellationToken);
}

/// <summary>The placeholder: every call says the documentation is pending.</summary>
internal sealed class WingsDirectApi : IWingsDirectApi
{
    public Task<string> SendInvoiceAsync(string user, string password, string internalNumber, string journal, Stream eFff, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The Wings Web Service Module is pending Wings' documentation.");
}
