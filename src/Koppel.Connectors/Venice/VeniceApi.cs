using System.Text.Json.Nodes;
using Refit;

namespace Koppel.Connectors.Venice;

/// <summary>
/// Venice WebConnect: <c>{base}/{DossierId}/{FinancialYear}/{Object}</c>, HTTP Basic, JSON envelopes
/// (<see cref="VeniceEnvelope"/>). Creating is documented (POST, the answer holds the SystemNumber); reading one
/// object by a key field is written here as <c>GET …/{Object}?{Field}={value}</c>, an assumption kept to this one
/// method because the public pages do not show it.
/// </summary>
public interface IVeniceApi
{
    [Post("/{dossierId}/{financialYear}/{objectName}")]
    Task<JsonObject> CreateAsync([Header("Authorization")] string authorization, string dossierId, int financialYear, string objectName, [Body] JsonObject envelope, CancellationToken cancellationToken);

    [Get("/{dossierId}/{financialYear}/{objectName}")]
    Task<JsonObject> FindAsync([Header("Authorization")] string authorization, string dossierId, int financialYear, string objectName, [Query] IDictionary<string, string> keys, CancellationToken cancellationToken);
}
