using System.Text.Json.Nodes;

namespace Koppel.Connectors.Venice;

/// <summary>
/// The WebConnect JSON envelope, <c>{"Request": {"&lt;ObjectPlural&gt;": {"&lt;Object&gt;": [ {"Fields": {…}, "Entries": […]} ]}}}</c>,
/// and the <c>SystemNumber</c> Venice answers with. The plural names are not all published: they are one table here.
/// </summary>
public static class VeniceEnvelope
{
    public const string Sales = "Sales";
    public const string Purchase = "Purchase";
    public const string Customer = "Customer";
    public const string Supplier = "Supplier";

    private static readonly Dictionary<string, string> Plurals = new(StringComparer.Ordinal)
    {
        [Sales] = "Sales",
        [Purchase] = "Purchases",
        [Customer] = "Customers",
        [Supplier] = "Suppliers",
    };

    public static string PluralOf(string objectName) => Plurals.GetValueOrDefault(objectName, objectName + "s");

    public static JsonObject Request(string objectName, JsonObject fields, JsonArray? entries = null)
    {
        var record = new JsonObject { ["Fields"] = fields };
        if (entries is not null)
        {
            record["Entries"] = entries;
        }

        return new JsonObject
        {
            ["Request"] = new JsonObject { [PluralOf(objectName)] = new JsonObject { [objectName] = new JsonArray(record) } },
        };
    }

    /// <summary>The first <c>SystemNumber</c> anywhere in an answer (create or read), or null when there is none.</summary>
    public static long? FirstSystemNumber(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (name == "SystemNumber" && value is JsonValue v && (v.TryGetValue<long>(out var n) || (v.TryGetValue<string>(out var s) && long.TryParse(s, out n))))
                    {
                        return n;
                    }

                    if (FirstSystemNumber(value) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonArray array:
                return array.Select(FirstSystemNumber).FirstOrDefault(n => n is not null);
            default:
                return null;
        }
    }
}
