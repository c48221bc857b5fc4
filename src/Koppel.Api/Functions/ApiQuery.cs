using System.Globalization;
using Koppel.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Koppel.Api.Functions;

/// <summary>
/// Query-string values for the Functions HTTP triggers, which have no minimal-API parameter binding.
/// A value that does not parse is a 400 naming the parameter, as on the server.
/// </summary>
public static class ApiQuery
{
    public static string? Text(HttpRequest request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        var value = request.Query[name].ToString();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public static DateTimeOffset? Instant(HttpRequest request, string name) =>
        Text(request, name) is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value
        : throw new RequestValidationException(name, $"'{text}' is not a date and time; use ISO 8601, e.g. 2026-01-31T00:00:00Z.");

    public static int? Number(HttpRequest request, string name) =>
        Text(request, name) is not { } text ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new RequestValidationException(name, $"'{text}' is not a whole number.");

    public static bool? Flag(HttpRequest request, string name) =>
        Text(request, name) is not { } text ? null
        : bool.TryParse(text, out var value) ? value
        : throw new RequestValidationException(name, $"'{text}' is not true or false.");

    public static TEnum? Choice<TEnum>(HttpRequest request, string name)
        where TEnum : struct, Enum =>
        Text(request, name) is not { } text ? null
        : Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) ? value
        : throw new RequestValidationException(name, $"'{text}' is not one of: {string.Join(", ", Enum.GetNames<TEnum>())}.");
}
