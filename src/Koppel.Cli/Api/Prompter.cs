using System.Text;

namespace Koppel.Cli.Api;

/// <summary>Asks the person at the terminal for one value (a connection setting); a secret is read without echo.</summary>
internal interface IPrompter
{
    /// <returns>What was typed, or null for an empty answer.</returns>
    string? Ask(string question, bool secret);
}

/// <summary>The terminal: questions go to stderr (stdout stays the command's answer), secrets are typed blind.</summary>
internal sealed class ConsolePrompter : IPrompter
{
    private ConsolePrompter()
    {
    }

    /// <summary>A prompter only when a person is there: with stdin redirected (a pipe, a script) there is nobody to ask.</summary>
    public static IPrompter? IfInteractive() => Console.IsInputRedirected ? null : new ConsolePrompter();

    public string? Ask(string question, bool secret)
    {
        Console.Error.Write(question);
        var answer = secret ? ReadBlind() : Console.ReadLine();
        return string.IsNullOrEmpty(answer) ? null : answer;
    }

    private static string ReadBlind()
    {
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return typed.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (typed.Length > 0)
                {
                    typed.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
    }
}
