using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Koppel.Api;

/// <summary>
/// The OpenAPI description of Koppel's API (Microsoft.AspNetCore.OpenApi), generated from the endpoints: each route says
/// its operation id, summary, answer type and problem-details errors with <see cref="Describe{T}"/>; this class adds the
/// document's title, the two ways to sign in and the request examples. The self-hosted server serves the document at
/// <c>/openapi/v1.json</c>; the Functions app serves the committed copy (docs/openapi/v1.json, kept equal by a test).
/// </summary>
public static class ApiDescription
{
    public const string DocumentName = "v1";
    public const string ApiKeyScheme = "ApiKey";
    public const string BearerScheme = "Bearer";
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The committed document's resource name in the Functions app.</summary>
    public const string ResourceName = "Koppel.openapi.v1.json";

    public static IServiceCollection AddKoppelOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Koppel API",
                    Version = "v1",
                    Description = "Dossiers, connections, documents, deliveries, runs, exports, payments, relations, quarantine and webhooks of Koppel, "
                        + "the Belgian e-invoicing integration hub. Sign in with an API key (X-Api-Key) or a bearer JWT whose koppel:dossier claims name the dossiers; "
                        + "the Azure Functions app also wants its function key (x-functions-key). Lists answer { items, continuationToken }, a page at a time "
                        + "(?pageSize=1..1000, ?continuationToken=). Errors are problem details (RFC 9457): 400 names the fields, 403, 404, 409, 422 say why.",
                };

                // The document is the same wherever it is served from: clients set the base address themselves.
                document.Servers = [];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [ApiKeyScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Header,
                        Name = ApiKeyHeader,
                        Description = "An API key from Koppel:Api:Keys (stored as its SHA-256); it names the dossiers it may reach.",
                    },
                    [BearerScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "JWT",
                        Description = "A JWT from the configured issuer (Koppel:Api:Jwt); its koppel:dossier claims name the dossiers, or *.",
                    },
                };
                document.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
                ];
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestExample>().FirstOrDefault() is { } example
                    && operation.RequestBody?.Content is { } content)
                {
                    foreach (var media in content.Values)
                    {
                        media.Example = JsonNode.Parse(example.Json);
                    }
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>Names and explains a route, with the answer it gives and the problem details it may answer instead.</summary>
    public static RouteHandlerBuilder Describe<T>(this RouteHandlerBuilder route, string operationId, string summary, int status = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(route);
        return route.WithName(operationId).WithSummary(summary).Produces<T>(status).WithProblems();
    }

    /// <summary>A route without a JSON answer: 204, or a file (<paramref name="contentType"/>).</summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder route, string operationId, string summary, int status, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(route);
        route.WithName(operationId).WithSummary(summary);
        route = contentType is null ? route.Produces(status) : route.Produces<Stream>(status, contentType);
        return route.WithProblems();
    }

    /// <summary>An example request body, shown in the document.</summary>
    public static RouteHandlerBuilder WithExample(this RouteHandlerBuilder route, string json) =>
        route.WithMetadata(new RequestExample(json));

    /// <summary>The problem details every route may answer: 400 naming the fields, 403, 404, 409 and 500.</summary>
    private static RouteHandlerBuilder WithProblems(this RouteHandlerBuilder route) =>
        route.ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status500InternalServerError);

    private sealed record RequestExample(string Json);
}
