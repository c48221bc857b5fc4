namespace Koppel.Core.Errors;

/// <summary>Input that breaks a rule. Carries the failing fields so the API can answer 400 with a problem-details body naming them.</summary>
public sealed class RequestValidationException : Exception
{
    public RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base("The request is not valid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
    {
        Errors = errors;
    }

    public RequestValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }
}

/// <summary>The thing asked for does not exist (or the caller may not know it exists).</summary>
public sealed class ResourceNotFoundException(string message) : Exception(message);

/// <summary>The caller is known but may not touch this dossier.</summary>
public sealed class AccessDeniedException(string message) : Exception(message);

/// <summary>The request conflicts with the current state (e.g. creating a dossier that exists).</summary>
public sealed class ResourceConflictException(string message) : Exception(message);

/// <summary>
/// A connection saved with <c>?test=true</c> failed its connection test: nothing was saved. The API answers 422 with the
/// test's message (and its choices), so a typo is found at once, not at the first delivery.
/// </summary>
public sealed class ConnectionTestFailedException(Connectors.ConnectionTestResult result) : Exception(result?.Message)
{
    public Connectors.ConnectionTestResult Result { get; } = result ?? throw new ArgumentNullException(nameof(result));
}

/// <summary>Collects field errors and throws them together, so a user fixes a form in one go.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new RequestValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }
    }
}
