using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/connectors: the connector catalogue: which providers exist and what each can do.</summary>
public sealed class ListConnectorsFunction(FunctionRequests requests)
{
    [Function(nameof(ListConnectors))]
    public Task<IActionResult> ListConnectors(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "connectors")] HttpRequest request) =>
        requests.RunAsync(request, (api, _) => Task.FromResult(api.ListConnectors()));
}
