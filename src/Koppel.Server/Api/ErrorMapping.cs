using Koppel.Api;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Koppel.Server.Api;

/// <summary>
/// Answers the Core's exceptions with problem details, mapped by <see cref="ApiProblems"/> (shared with the Functions app).
/// </summary>
public sealed class ErrorMapping(IProblemDetailsService problemDetails, ILogger<ErrorMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var problem = ApiProblems.For(exception, httpContext.TraceIdentifier);
        if (ApiProblems.IsServerError(problem))
        {
            logger.LogError(exception, "Unhandled error for {Method} {Path}, trace id {TraceId}", httpContext.Request.Method, httpContext.Request.Path, httpContext.TraceIdentifier);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }
}
