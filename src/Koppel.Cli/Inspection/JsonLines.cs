using System.Text.Encodings.Web;
using System.Text.Json;

namespace Koppel.Cli.Inspection;

/// <summary>Serializer settings for JSON Lines output: camelCase, one line per object, absent values written as null.</summary>
internal static class JsonLines
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,

        // Names such as "Compte à vue" stay readable; the output is a terminal or a file, never HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
