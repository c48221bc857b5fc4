using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Koppel.Functions.Tests.Support;

/// <summary>
/// Sends an HttpClient's requests to the Functions app's HTTP functions inside the test process, as the worker's ASP.NET
/// Core integration would once the host has picked the function: the route and method come from the generated
/// functions.metadata (with host.json's "api" prefix), the function class is created from the app's DI container, it is
/// called with a real <see cref="HttpContext"/>, and the <see cref="IActionResult"/> it returns is executed into the
/// response. What it leaves out is the host itself (function keys, the gRPC hop), which cannot be installed here.
/// </summary>
public sealed class FunctionsHttpHandler(IServiceProvider services) : HttpMessageHandler
{
    private const string RoutePrefix = "/api";

    private static readonly List<(FunctionMetadata Function, TemplateMatcher Matcher, string[] Methods)> Routes = FunctionsBuild.HttpFunctions
        .Select(f => (f, new TemplateMatcher(TemplateParser.Parse(f.Text("route")!), []),
            f.Trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToArray()))
        // Like the host, a route with more literal segments wins over one that would take the same text as a parameter.
        .OrderByDescending(r => r.Item2.Template.Segments.Count(s => s.IsSimple && s.Parts[0].IsLiteral))
        .ToList();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var values = new RouteValueDictionary();
        var route = path.StartsWith(RoutePrefix + "/", StringComparison.Ordinal)
            ? Routes.FirstOrDefault(r => r.Methods.Contains(request.Method.Method) && r.Matcher.TryMatch(path[RoutePrefix.Length..], values = []))
            : default;
        if (route.Function is null)
        {
            return new HttpResponseMessage(System.Net.HttpStatusCode.NotFound) { RequestMessage = request };
        }

        await using var scope = services.CreateAsyncScope();
        var context = await ContextFor(request, scope.ServiceProvider, cancellationToken);
        var result = await InvokeAsync(route.Function, context, values, cancellationToken);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(values), new ActionDescriptor()));
        return ResponseOf(context, request);
    }

    private static async Task<IActionResult> InvokeAsync(FunctionMetadata function, HttpContext context, RouteValueDictionary values, CancellationToken cancellationToken)
    {
        var method = FunctionsBuild.FunctionMethods[function.Name];
        var instance = ActivatorUtilities.CreateInstance(context.RequestServices, method.DeclaringType!);
        var arguments = method.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(HttpRequest) => context.Request,
            var t when t == typeof(CancellationToken) => cancellationToken,
            var t when t == typeof(string) => (object?)values[p.Name!]?.ToString(),
            _ => throw new InvalidOperationException($"{function.Name} takes a {p.ParameterType.Name}, which this handler cannot bind."),
        }).ToArray();
        return await (Task<IActionResult>)method.Invoke(instance, arguments)!;
    }

    private static async Task<HttpContext> ContextFor(HttpRequestMessage request, IServiceProvider services, CancellationToken cancellationToken)
    {
        var context = new DefaultHttpContext { RequestServices = services, RequestAborted = cancellationToken };
        context.TraceIdentifier = Guid.NewGuid().ToString("N");
        context.Request.Method = request.Method.Method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("koppel-test.azurewebsites.net");
        context.Request.Path = request.RequestUri!.AbsolutePath;
        context.Request.QueryString = new QueryString(request.RequestUri.Query);
        foreach (var header in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            context.Request.Headers[header.Key] = new StringValues(header.Value.ToArray());
        }

        var body = new MemoryStream();
        if (request.Content is not null)
        {
            await request.Content.CopyToAsync(body, cancellationToken);
            body.Position = 0;
            context.Request.ContentLength = body.Length;
        }

        context.Request.Body = body;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static HttpResponseMessage ResponseOf(HttpContext context, HttpRequestMessage request)
    {
        var response = new HttpResponseMessage((System.Net.HttpStatusCode)context.Response.StatusCode)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(((MemoryStream)context.Response.Body).ToArray()),
        };
        foreach (var header in context.Response.Headers)
        {
            if (!response.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string>)header.Value))
            {
                response.Content.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string>)header.Value);
            }
        }

        return response;
    }
}
