namespace Koppel.Azure;

/// <summary>
/// Runs a "create if not exists" call the first time a resource is used and never again for this instance.
/// Two callers racing on the first use both call it, which is harmless because the call is idempotent.
/// </summary>
internal sealed class CreateOnce
{
    private readonly Func<CancellationToken, Task> _create;
    private volatile bool _created;

    public CreateOnce(Func<CancellationToken, Task> create) => _create = create;

    public async ValueTask EnsureAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }

        await _create(cancellationToken);
        _created = true;
    }
}
