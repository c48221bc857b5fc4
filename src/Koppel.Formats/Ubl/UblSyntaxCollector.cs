namespace Koppel.Formats.Ubl;

/// <summary>Gathers <see cref="UblSyntax"/> during the parse: bounded lists, exact counts.</summary>
internal sealed class UblSyntaxCollector
{
    private readonly List<UblSyntaxNode> _empty = [];
    private readonly List<UblSyntaxNode> _dates = [];
    private readonly List<UblUnreadableValue> _unreadable = [];
    private readonly List<UblSyntaxNode> _amounts = [];
    private int _emptyCount;

    /// <summary>The date elements PEPPOL-EN16931-F001 checks, wherever they are.</summary>
    public static bool IsCheckedDate(string localName) =>
        localName is "IssueDate" or "DueDate" or "TaxPointDate" or "StartDate" or "EndDate" or "ActualDeliveryDate";

    /// <summary>F001: the first text node is exactly ten characters and the value is an xs:date.</summary>
    public static bool IsPlainDate(string text) =>
        text.Length == 10
        && DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _);

    public void Empty(string element, int line, int position)
    {
        if (_emptyCount++ < UblSyntax.MaxKept)
        {
            _empty.Add(new UblSyntaxNode(element, string.Empty, line, position));
        }
    }

    public void DateFormat(string element, string text, int line, int position)
    {
        if (_dates.Count < UblSyntax.MaxKept)
        {
            _dates.Add(new UblSyntaxNode(element, Shorten(text), line, position));
        }
    }

    public void AmountDecimals(string element, string text, int line, int position)
    {
        if (_amounts.Count < UblSyntax.MaxKept)
        {
            _amounts.Add(new UblSyntaxNode(element, Shorten(text), line, position));
        }
    }

    public void Unreadable(string rule, string element, string text, int line, int position)
    {
        if (_unreadable.Count < UblSyntax.MaxKept)
        {
            _unreadable.Add(new UblUnreadableValue(rule, new UblSyntaxNode(element, Shorten(text), line, position)));
        }
    }

    public UblSyntax Build() => _emptyCount == 0 && _dates.Count == 0 && _unreadable.Count == 0 && _amounts.Count == 0
        ? UblSyntax.None
        : new UblSyntax { EmptyElements = _empty, EmptyElementCount = _emptyCount, BadDateFormats = _dates, AmountsWithMoreDecimals = _amounts, UnreadableValues = _unreadable };

    internal static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
