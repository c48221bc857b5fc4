using Koppel.Core.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Koppel.Api.Functions;

/// <summary>
/// What every Functions HTTP trigger does around its one call into <see cref="KoppelApi"/>: find the caller, run the
/// call, and answer the Core's exceptions with the same problem details as the self-hosted server.
/// The worker has no exception-handler middleware of ASP.NET Core's kind, so the mapping happens here.
/// </summary>
public sealed class FunctionRequests(KoppelApi api, WebhooksApi webhooks, ILogger<FunctionRequests> logger)
{
    public Task<IActionResult> RunAsync(HttpRequest request, Func<KoppelApi, Caller, Task<IResult>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return AnswerAsync(request, caller => call(api, caller));
    }

    /// <summary>The same, for the platform's webhook routes.</summary>
    public Task<IActionResult> RunWebhooksAsync(HttpRequest request, Func<WebhooksApi, Caller, Task<IResult>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return AnswerAsync(request, caller => call(webhooks, caller));
    }

    private async Task<IActionResult> AnswerAsync(HttpRequest request, Func<Caller, Task<IResult>> call)
    {
        ArgumentNullException.ThrowIfNull(request);
        IResult result;
        try
        {
            result = await call(FunctionCaller.From(request.Headers));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            var problem = ApiProblems.For(ex, request.HttpContext.TraceIdentifier);
            if (ApiProblems.IsServerError(problem))
            {
                logger.LogError(ex, "Unhandled error for {Method} {Path}, trace id {TraceId}", request.Method, request.Path, request.HttpContext.TraceIdentifier);
            }

            result = Results.Problem(problem);
        }

        return new ResultAsActionResult(result);
    }

    /// <summary>Lets a trigger return a minimal-API result where the worker expects an <see cref="IActionResult"/>.</summary>
    private sealed class ResultAsActionResult(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
