using System.Globalization;
using System.Text;

namespace Koppel.Benchmarks;

/// <summary>
/// Writes a consistent version-2 CODA file (one statement, realistic records) for the benchmarks: each movement is a
/// 2.1 + 2.2 + 2.3 + 3.1 + 3.2, and every fifth movement carries a 3.3 as well (100,000 movements: 520,004 records, 67.6 MB).
/// </summary>
internal static class CodaBenchmarkFile
{
    public static void Write(string path, int movements)
    {
        using var writer = new StreamWriter(path, append: false, Encoding.Latin1);
        writer.NewLine = "\r\n";
        writer.WriteLine(Record((1, "00000"), (6, "150126"), (12, "725"), (15, "05"), (35, "KOPPEL BENCH"), (61, "KREDBEBB"), (72, "00123456789"), (84, "00000"), (128, "2")));
        writer.WriteLine(Record((1, "10012"), (6, "539007547034"), (19, "EUR0BE"), (43, "0"), (44, Amount(0m)), (59, "140126"), (65, "KOPPEL BENCH NV"), (91, "Compte à vue"), (126, "012")));
        var credits = 0m;
        var records = 0;
        for (var i = 1; i <= movements; i++)
        {
            var amount = 1m + (i % 1000 / 100m);
            credits += amount;
            var sequence = (i % 10_000).ToString("D4", CultureInfo.InvariantCulture);
            var number = i.ToString(CultureInfo.InvariantCulture);
            var ogm = StructuredReference(i * 7_919L);
            writer.WriteLine(Record((1, "21"), (3, sequence), (7, "0000"), (11, "BANKREF" + number), (32, "0"), (33, Amount(amount)), (48, "150126"), (54, "00150000"), (62, "1101" + ogm), (116, "150126"), (122, "012"), (125, "0"), (126, "1"), (128, "1")));
            writer.WriteLine(Record((1, "22"), (3, sequence), (7, "0000"), (64, "E2E-" + number), (99, "GEBABEBB"), (126, "1")));
            writer.WriteLine(Record((1, "23"), (3, sequence), (7, "0000"), (11, "BE68539007547034"), (45, "EUR"), (48, "CUSTOMER " + number), (83, "Facture " + number)));
            writer.WriteLine(Record((1, "31"), (3, sequence), (7, "0001"), (32, "00150000"), (40, "1"), (41, "001"), (44, "CUSTOMER " + number), (128, "1")));
            var more = i % 5 == 0;
            writer.WriteLine(Record((1, "32"), (3, sequence), (7, "0001"), (11, "RUE DE LA LOI " + number + "  1000 BRUXELLES"), (128, more ? "1" : "0")));
            if (more)
            {
                writer.WriteLine(Record((1, "33"), (3, sequence), (7, "0001"), (11, "BELGIQUE"), (128, "0")));
                records++;
            }

            records += 5;
        }

        writer.WriteLine(Record((1, "8012"), (5, "539007547034"), (18, "EUR0BE"), (42, "0"), (43, Amount(credits)), (58, "150126")));
        var count = (2 + records).ToString("D6", CultureInfo.InvariantCulture);
        writer.WriteLine(Record((1, "9"), (17, count), (23, Amount(0m)), (38, Amount(credits)), (128, "2")));
    }

    private static string StructuredReference(long tenDigits)
    {
        var check = tenDigits % 97;
        return string.Create(CultureInfo.InvariantCulture, $"{tenDigits:D10}{(check == 0 ? 97 : check):D2}");
    }

    private static string Amount(decimal amount) =>
        ((long)(amount * 1000m)).ToString("D15", CultureInfo.InvariantCulture);

    private static string Record(params (int Position, string Value)[] fields)
    {
        var record = new char[128];
        Array.Fill(record, ' ');
        foreach (var (position, value) in fields)
        {
            value.CopyTo(0, record, position - 1, value.Length);
        }

        return new string(record);
    }
}
