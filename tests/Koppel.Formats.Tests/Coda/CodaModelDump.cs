using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Koppel.Formats.Coda;
using Koppel.Formats.Findings;

namespace Koppel.Formats.Tests.Coda;

/// <summary>
/// Writes everything a CODA read produced (every public property of the model, nested, in declaration order,
/// or the read error) as text, so a rewritten reader can be compared with the answers of the reader it replaced.
/// </summary>
internal static class CodaModelDump
{
    /// <summary>Reads <paramref name="content"/> statement by statement and dumps the statements, or the read error.</summary>
    public static string Read(byte[] content)
    {
        var text = new StringBuilder();
        try
        {
            var file = CodaReader.Read(new MemoryStream(content, writable: false));
            Write(text, file, 0);
        }
        catch (DocumentReadException e)
        {
            text.Append("read error ").Append(e.Rule).Append(": ").Append(e.Message).Append('\n');
        }

        return text.ToString();
    }

    public static string Hash(string dump) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dump)));

    private static void Write(StringBuilder text, object? value, int depth)
    {
        switch (value)
        {
            case null:
                text.Append("null\n");
                return;
            case string s:
                text.Append('"').Append(s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append("\"\n");
                return;
            case CodaTransactionCode code:
                text.Append(code.ToString()).Append('\n');
                return;
            case IFormattable formattable when value.GetType().IsPrimitive || value is decimal or DateOnly or Enum:
                text.Append(formattable.ToString(null, CultureInfo.InvariantCulture)).Append('\n');
                return;
            case bool b:
                text.Append(b ? "true\n" : "false\n");
                return;
            case char c:
                text.Append(c).Append('\n');
                return;
            case IEnumerable items:
                var list = items.Cast<object?>().ToList();
                text.Append('[').Append(list.Count).Append("]\n");
                for (var i = 0; i < list.Count; i++)
                {
                    Indent(text, depth + 1).Append('#').Append(i).Append(": ");
                    Write(text, list[i], depth + 1);
                }

                return;
        }

        text.Append(value.GetType().Name).Append('\n');
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            Indent(text, depth + 1).Append(property.Name).Append(" = ");
            Write(text, property.GetValue(value), depth + 1);
        }
    }

    private static StringBuilder Indent(StringBuilder text, int depth) => text.Append(' ', depth * 2);
}
