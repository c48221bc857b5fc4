using System.Globalization;
using Azure.Data.Tables;
using Koppel.Core.Ports;
using Koppel.Core.Telemetry;

namespace Koppel.Azure.Tables;

/// <summary>
/// Daily call counters in a table: one row per scope (partition) and day (row), updated only if its ETag is
/// unchanged, so two instances taking calls at the same moment never both get the last one.
/// </summary>
public sealed class TableDailyQuota : IDailyQuota
{
    private const string What = "quota counter";
    private const string UsedColumn = "Used";

    /// <summary>Optimistic rounds before giving up; each lost round means another instance just took calls.</summary>
    private const int MaxRounds = 50;

    private readonly KoppelTable _table;

    public TableDailyQuota(TableClient table) => _table = new KoppelTable(table);

    public async Task<bool> TryConsumeAsync(string scope, DateOnly day, int calls, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(calls);
        var partition = TableKeys.Ensure(scope, nameof(scope));
        var row = RowKeyOf(day);
        for (var round = 0; round < MaxRounds; round++)
        {
            var entity = await _table.GetAsync(partition, row, cancellationToken);
            var used = entity?.GetInt32(UsedColumn) ?? 0;
            if (used + calls > limit)
            {
                return false;
            }

            var updated = new TableEntity(partition, row) { [UsedColumn] = used + calls };
            if (entity is null)
            {
                if (await _table.TryAddAsync(updated, cancellationToken) is not null)
                {
                    KoppelTelemetry.RecordQuotaUse(scope, calls);
                    return true;
                }

                continue; // another instance created the row first: read it and decide again
            }

            try
            {
                await _table.ReplaceIfMatchAsync(updated, entity.ETag.ToString(), What, cancellationToken);
                KoppelTelemetry.RecordQuotaUse(scope, calls);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                // another instance took calls in between: read again
            }
        }

        throw new ConcurrencyConflictException($"The {What} '{scope}/{row}' kept changing; try again.");
    }

    public async Task<int> UsedAsync(string scope, DateOnly day, CancellationToken cancellationToken)
    {
        var entity = await _table.GetAsync(TableKeys.Ensure(scope, nameof(scope)), RowKeyOf(day), cancellationToken);
        return entity?.GetInt32(UsedColumn) ?? 0;
    }

    private static string RowKeyOf(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
