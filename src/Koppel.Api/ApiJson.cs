using System.Text.Json;
using System.Text.Json.Serialization;
using Koppel.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Koppel.Api;

/// <summary>The API's JSON: camelCase, enums as names, nulls written (clients see every field).</summary>
public static class ApiJson
{
    private static readonly JsonSerializerOptions BodyOptions = CreateBodyOptions();

    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter());
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }

    /// <summary>
    /// Reads a JSON body for hosts without model binding (the Functions HTTP triggers); a missing body is a 400 that says so.
    /// </summary>
    /// <summary>
    /// Whether a connection is saved with its connection test run first (<c>?test=true</c>; <c>false</c> or absent: no
    /// test). Any other value is a 400 naming <c>test</c>.
    /// </summary>
    public static bool TestOnSave(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = request.Query["test"].ToString();
        return text.Length == 0 ? false
            : bool.TryParse(text, out var test) ? test
            : throw new Core.Errors.RequestValidationException("test", $"'test' must be true or false, not '{text}'.");
    }

    public static async Task<T> ReadBodyAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);

        // Deserialize the stream whatever the Content-Type says, as the server's model binding is lenient too;
        // an empty or broken body surfaces as a JsonException, which ApiProblems answers with 400.
        return await JsonSerializer.DeserializeAsync<T>(request.Body, BodyOptions, cancellationToken)
            ?? throw new RequestValidationException("body", $"Send a JSON {typeof(T).Name} as the request body.");
    }

    private static JsonSerializerOptions CreateBodyOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }
}
