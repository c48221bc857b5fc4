using Koppel.Api;
using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>POST /api/dossiers/{dossierId}/connections/{connectionId}/relations/sync[?full=true]: queues a relation sync (202).</summary>
public sealed class SyncRelationsNowFunction(FunctionRequests requests)
{
    [Function(nameof(SyncRelationsNow))]
    public Task<IActionResult> SyncRelationsNow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "dossiers/{dossierId}/connections/{connectionId}/relations/sync")] HttpRequest request,
        string dossierId,
        string connectionId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.SyncRelationsAsync(dossierId, connectionId, ApiQuery.Flag(request, "full") ?? false, caller, cancellationToken));
}

/// <summary>GET /api/dossiers/{dossierId}/relations?vat=&amp;enterprise=&amp;iban=&amp;name=: the synced customers and suppliers, a page at a time.</summary>
public sealed class ListRelationsFunction(FunctionRequests requests)
{
    [Function(nameof(ListRelations))]
    public Task<IActionResult> ListRelations(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/relations")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ListRelationsAsync(dossierId, RelationQuery.From(request), PageQuery.From(request), caller, cancellationToken));
}

/// <summary>GET /api/dossiers/{dossierId}/ledger-accounts[?connectionId=]: the synced ledger accounts.</summary>
public sealed class ListLedgerAccountsFunction(FunctionRequests requests)
{
    [Function(nameof(ListLedgerAccounts))]
    public Task<IActionResult> ListLedgerAccounts(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/ledger-accounts")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ListLedgerAccountsAsync(dossierId, ApiQuery.Text(request, "connectionId"), PageQuery.From(request), caller, cancellationToken));
}

/// <summary>GET /api/dossiers/{dossierId}/vat-codes[?connectionId=]: the synced VAT codes.</summary>
public sealed class ListVatCodesFunction(FunctionRequests requests)
{
    [Function(nameof(ListVatCodes))]
    public Task<IActionResult> ListVatCodes(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/vat-codes")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ListVatCodesAsync(dossierId, ApiQuery.Text(request, "connectionId"), PageQuery.From(request), caller, cancellationToken));
}
