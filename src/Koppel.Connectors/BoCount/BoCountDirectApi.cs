namespace Koppel.Connectors.BoCount;

/// <summary>
/// BoCount's direct document API, to be written when BoCount publishes or hands over its specification. What is known:
/// a web-service user and password per client, the client's company number, and a base URL per accounting firm.
/// Not registered: <see cref="BoCountConnector"/> delivers through e-mail or SFTP until then.
/// </summary>
internal interface IBoCountDirectApi
{
    /// <summary>Hands one UBL invoice to the client's company at the firm's instance; returns BoCount's reference.</summary>
    Task<string> SendInvoiceAsync(Uri baseUrl, string user, string password, string companyNumber, Stream ubl, CancellationToken cancellationToken);
}

/// <summary>The placeholder: every call says the specification is pending.</summary>
internal sealed class BoCountDirectApi : IBoCountDirectApi
{
    public Task<string> SendInvoiceAsync(Uri baseUrl, string user, string password, string companyNumber, Stream ubl, CancellationToken cancellationToken) =>
        throw new NotSupportedException("BoCount's document API is pending BoCount's specification.");
}
