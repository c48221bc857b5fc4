namespace Koppel.Formats.Coda;

/// <summary>Caches shared by all statements of one physical file.</summary>
internal sealed class CodaValueCaches
{
    public RepeatedValueCache<CodaTransactionCode> TransactionCodes { get; } = new(CodaTransactionCode.Parse);

    public RepeatedValueCache<string> Texts { get; } = new(text => text);
}
