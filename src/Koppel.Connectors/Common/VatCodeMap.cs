using System.Globalization;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.Common;

/// <summary>
/// Which VAT code of the accounting package a VAT group books under: by rate for standard-rated groups
/// (<c>vatCode.21</c>, <c>vatCode.12</c>, <c>vatCode.6</c>, <c>vatCode.0</c>) and by UBL category for the
/// exempt and reverse-charge ones (<c>vatCode.AE</c>, <c>vatCode.K</c>, <c>vatCode.G</c>, <c>vatCode.E</c>),
/// each with a default the user can override.
/// </summary>
public sealed class VatCodeMap
{
    public const string Prefix = "vatCode.";

    private static readonly string[] CategoryKeys = ["AE", "K", "G", "E", "O"];
    private readonly IReadOnlyDictionary<string, string> _codes;

    private VatCodeMap(IReadOnlyDictionary<string, string> codes)
    {
        _codes = codes;
    }

    /// <summary>The setting fields, with the provider's defaults (rate or category → code).</summary>
    public static IEnumerable<SettingField> Fields(IReadOnlyDictionary<string, string> defaults, string packageName) =>
        defaults.Select(d => new SettingField(
            Prefix + d.Key,
            CategoryKeys.Contains(d.Key)
                ? $"{packageName} VAT code for UBL VAT category {d.Key} ({CategoryName(d.Key)})."
                : $"{packageName} VAT code for {d.Key}% VAT.",
            DefaultValue: d.Value));

    public static VatCodeMap From(ConnectorSettings settings, IReadOnlyDictionary<string, string> defaults)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(defaults);
        var codes = defaults.ToDictionary(d => d.Key, d => SettingsReader.Optional(settings, Prefix + d.Key) ?? d.Value, StringComparer.OrdinalIgnoreCase);
        return new VatCodeMap(codes);
    }

    /// <summary>The code for one group; an unmapped rate is a set-up problem the user fixes in the connection.</summary>
    public string CodeFor(VatGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var category = group.Category.ToUpperInvariant();
        if (CategoryKeys.Contains(category) && _codes.TryGetValue(category, out var byCategory))
        {
            return byCategory;
        }

        var rate = group.Rate.ToString("0.##", CultureInfo.InvariantCulture);
        return _codes.TryGetValue(rate, out var code)
            ? code
            : throw new ConnectorConfigurationException($"There is no VAT code for {rate}% VAT; add the setting '{Prefix}{rate}' to the connection.");
    }

    private static string CategoryName(string category) => category switch
    {
        "AE" => "reverse charge",
        "K" => "intra-community supply",
        "G" => "export outside the EU",
        "E" => "exempt",
        _ => "outside the scope of VAT",
    };
}
