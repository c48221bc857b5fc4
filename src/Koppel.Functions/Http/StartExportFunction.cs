using Koppel.Api;
using Koppel.Api.Functions;
using Koppel.Core.Export;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>POST /api/dossiers/{dossierId}/exports: starts a manual export from a JSON ExportRequest.</summary>
public sealed class StartExportFunction(FunctionRequests requests)
{
    [Function(nameof(StartExport))]
    public Task<IActionResult> StartExport(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "dossiers/{dossierId}/exports")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, async (api, caller) =>
        {
            var input = await ApiJson.ReadBodyAsync<ExportRequest>(request, cancellationToken);
            return await api.StartExportAsync(dossierId, input, caller, cancellationToken);
        });
}
