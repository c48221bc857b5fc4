using System.Text.Encodings.Web;
using System.Text.Json;

namespace Koppel.Cli.Inspection;

/// <summary>JSON Lines output settings: camelCase, one line per object, absent values written as null.</summary>
internal static class JsonLines
{
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Indented = false,

        // Names such as "Compte à vue" stay readable; the output is a terminal or a file, never HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes a date as the JSON string yyyy-MM-dd, or null.</summary>
    public static void WriteDate(this Utf8JsonWriter writer, string name, DateOnly? date)
    {
        if (date is not { } value)
        {
            writer.WriteNull(name);
            return;
        }

        Span<byte> text = stackalloc byte[10];
        value.TryFormat(text, out _, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        writer.WriteString(name, text);
    }

    public static void WriteNumberOrNull(this Utf8JsonWriter writer, string name, int? number)
    {
        if (number is { } value)
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
