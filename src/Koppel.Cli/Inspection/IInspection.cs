namespace Koppel.Cli.Inspection;

/// <summary>What <c>koppel inspect</c> learned about one file, printable for a person or as one JSON line.</summary>
internal interface IInspection
{
    string ToSummary();

    string ToJson();
}
