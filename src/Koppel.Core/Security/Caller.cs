using Koppel.Core.Errors;

namespace Koppel.Core.Security;

/// <summary>
/// Who is calling the API and which dossiers they may see. The hosts authenticate (API key, JWT, function key)
/// and build a Caller; the handlers only check it.
/// </summary>
public sealed record Caller(string Name, IReadOnlySet<string> Dossiers, bool AllDossiers)
{
    /// <summary>The system itself: timers, triggers, the sweeper.</summary>
    public static Caller System { get; } = new("system", new HashSet<string>(), AllDossiers: true);

    public static Caller ForAll(string name) => new(name, new HashSet<string>(), AllDossiers: true);

    public static Caller ForDossiers(string name, IEnumerable<string> dossiers) =>
        new(name, new HashSet<string>(dossiers, StringComparer.Ordinal), AllDossiers: false);

    public bool CanAccess(string dossierId) => AllDossiers || Dossiers.Contains(dossierId);

    /// <summary>Refuses a request for a dossier the caller may not see.</summary>
    public void EnsureCanAccess(string dossierId)
    {
        if (!CanAccess(dossierId))
        {
            throw new AccessDeniedException($"The caller '{Name}' has no access to dossier {dossierId}.");
        }
    }
}
