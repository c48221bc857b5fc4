using System.Globalization;
using System.Text.Json;

namespace Koppel.Cli.Commands;

/// <summary>One column of a table: its header and how a cell is read from an item of the API's JSON.</summary>
internal sealed record Column(string Header, Func<JsonElement, string> Cell)
{
    /// <summary>A column showing a property; a dotted name reads a nested object (<c>health.status</c>).</summary>
    public static Column Of(string header, string property) => new(header, item => Json.Text(item, property));
}

/// <summary>Plain, space-aligned tables for people (the <c>--json</c> output is for scripts).</summary>
internal static class Table
{
    public static void Write(TextWriter output, IReadOnlyList<JsonElement> items, IReadOnlyList<Column> columns, string empty)
    {
        if (items.Count == 0)
        {
            output.WriteLine(empty);
            return;
        }

        var rows = items.Select(item => columns.Select(c => Clean(c.Cell(item))).ToArray()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Header.Length, rows.Max(r => r[i].Length))).ToArray();
        WriteRow(output, columns.Select(c => c.Header).ToArray(), widths);
        foreach (var row in rows)
        {
            WriteRow(output, row, widths);
        }
    }

    private static void WriteRow(TextWriter output, string[] cells, int[] widths)
    {
        var line = string.Join("  ", cells.Select((cell, i) => i == cells.Length - 1 ? cell : cell.PadRight(widths[i])));
        output.WriteLine(line.TrimEnd());
    }

    /// <summary>A cell stays on one line, so a multi-line error message does not break the table.</summary>
    private static string Clean(string cell) => cell.ReplaceLineEndings(" ");
}

/// <summary>Reading values out of the API's JSON for display.</summary>
internal static class Json
{
    public static string Text(JsonElement item, string property)
    {
        var value = item;
        foreach (var part in property.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(part, out value))
            {
                return "";
            }
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? "",
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            JsonValueKind.Array => string.Join(",", value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
            _ => value.GetRawText(),
        };
    }

    /// <summary>A timestamp shortened to the second, in UTC, as the API sent it (ISO 8601).</summary>
    public static string Time(JsonElement item, string property) =>
        DateTimeOffset.TryParse(Text(item, property), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : Text(item, property);

    public static void WriteArray(TextWriter output, IReadOnlyList<JsonElement> items)
    {
        output.Write('[');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                output.Write(',');
            }

            output.Write(items[i].GetRawText());
        }

        output.WriteLine(']');
    }
}
