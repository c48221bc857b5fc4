using Koppel.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Koppel.Api;

/// <summary>
/// Turns the Core's exceptions into problem-details answers: 400 naming the fields, 403, 404, 409.
/// Anything else is a 500 whose body says only that something failed and gives the trace id, never the exception text.
/// Both hosts use this one mapping, so a client sees the same answer from the server and from the Functions app.
/// </summary>
public static class ApiProblems
{
    public static ProblemDetails For(Exception exception, string traceId) => Unwrap(exception) switch
    {
        RequestValidationException v => new HttpValidationProblemDetails(v.Errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
        },
        Koppel.Core.Ports.InvalidContinuationTokenException t => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [PageQuery.ContinuationTokenParameter] = [t.Message + " Start again without one."] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
        },
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new ProblemDetails
        {
            Status = StatusCodes.Status413PayloadTooLarge,
            Title = "The file is too large.",
            Detail = "The body is larger than Koppel's document limit (Koppel:Ingest:MaxDocumentBytes); nothing was stored.",
        },
        BadHttpRequestException b => new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "The request is not valid.", Detail = b.Message },
        System.Text.Json.JsonException j => new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "The body is not valid JSON.", Detail = j.Message },
        ConnectionTestFailedException t => new ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The connection test failed; nothing was saved.",
            Detail = t.Result.Message,
            Extensions =
            {
                ["credentialsRejected"] = t.Result.CredentialsRejected,
                ["needsConsent"] = t.Result.NeedsConsent,
                ["choices"] = t.Result.Choices,
            },
        },
        AccessDeniedException a => new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Access denied.", Detail = a.Message },
        ResourceNotFoundException n => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found.", Detail = n.Message },
        ResourceConflictException c => new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Conflict.", Detail = c.Message },
        _ => new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "Koppel could not handle the request.", Detail = $"See the server log for trace id {traceId}." },
    };

    /// <summary>A body that broke off mid-read surfaces from whatever was reading it, e.g. the storage client.</summary>
    private static Exception Unwrap(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException)
            {
                return e;
            }
        }

        return exception;
    }

    public static bool IsServerError(ProblemDetails problem) =>
        (problem ?? throw new ArgumentNullException(nameof(problem))).Status is null or >= StatusCodes.Status500InternalServerError;
}
