namespace Koppel.Connectors.Yuki;

internal enum YukiFaultKind
{
    /// <summary>The session expired or is unknown: authenticate again once and retry.</summary>
    InvalidSession,

    /// <summary>The access key was refused: the connection is broken until the user enters a valid key.</summary>
    InvalidKey,

    /// <summary>The domain's daily call quota is used up: wait for the next day.</summary>
    QuotaReached,

    /// <summary>The key does not (or no longer) reach the administration, or the domain has no active database.</summary>
    NoAccess,

    /// <summary>Anything else: Yuki's message is passed on to the user.</summary>
    Other,
}

/// <summary>
/// Yuki has no list of error codes: a fault is known by its text only, and the texts are not published. These are
/// the phrases we match on (English and Dutch wording), kept in one place so they are easy to adjust once a live
/// answer shows the exact words.
/// </summary>
internal static class YukiFaults
{
    private static readonly string[] Quota = ["quota", "too many requests", "limiet"];
    private static readonly string[] Calls = ["call", "request", "aanroep"];
    private static readonly string[] Exhausted = ["maximum", "limit", "exceeded", "overschreden"];
    private static readonly string[] Session = ["session", "sessie"];
    private static readonly string[] Invalid = ["invalid", "expired", "not valid", "unknown", "ongeldig", "verlopen"];
    private static readonly string[] Key = ["access key", "accesskey", "webservice key", "webserviceaccesskey", "api key", "toegangssleutel"];
    private static readonly string[] Access = ["no active database", "no access", "not authorized", "not authorised", "geen toegang", "access denied"];

    public static YukiFaultKind Classify(string operation, string faultString)
    {
        var text = faultString.ToLowerInvariant();
        // "Maximum length exceeded" is a refused document, not a used-up quota: only limits on calls count.
        if (ContainsAny(text, Quota) || (ContainsAny(text, Calls) && ContainsAny(text, Exhausted)))
        {
            return YukiFaultKind.QuotaReached;
        }

        if (ContainsAny(text, Session) && ContainsAny(text, Invalid))
        {
            return YukiFaultKind.InvalidSession;
        }

        if (ContainsAny(text, Key) || operation is "Authenticate")
        {
            return YukiFaultKind.InvalidKey;
        }

        return ContainsAny(text, Access) ? YukiFaultKind.NoAccess : YukiFaultKind.Other;
    }

    /// <summary>The useful part of a fault text: ASMX prefixes "Server was unable to process request. --->".</summary>
    public static string Message(string faultString)
    {
        const string Arrow = "--->";
        var at = faultString.LastIndexOf(Arrow, StringComparison.Ordinal);
        var message = (at >= 0 ? faultString[(at + Arrow.Length)..] : faultString).Trim();
        return message.Length > 400 ? message[..400] + "…" : message;
    }

    private static bool ContainsAny(string text, string[] phrases) => phrases.Any(p => text.Contains(p, StringComparison.Ordinal));
}
