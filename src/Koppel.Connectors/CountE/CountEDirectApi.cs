namespace Koppel.Connectors.CountE;

/// <summary>
/// Count-e's direct document API, to be written when Count-e publishes or hands over its specification. What is known:
/// user name and password, the instance's API URL, a database name and a client number. Not registered:
/// <see cref="CountEConnector"/> delivers through e-mail or SFTP until then.
/// </summary>
internal interface ICountEDirectApi
{
    /// <summary>Hands one UBL invoice to the client in the database; returns Count-e's reference.</summary>
    Task<string> SendInvoiceAsync(Uri apiUrl, string user, string password, string database, string customerNumber, Stream ubl, CancellationToken cancellationToken);
}

/// <summary>The placeholder: every call says the specification is pending.</summary>
internal sealed class CountEDirectApi : ICountEDirectApi
{
    public Task<string> SendInvoiceAsync(Uri apiUrl, string user, string password, string database, string customerNumber, Stream ubl, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Count-e's document API is pending Count-e's specification.");
}
