using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;

namespace Koppel.Azure.Tables;

/// <summary>
/// Reading and writing typed columns of a <see cref="TableEntity"/>. Enums are stored by name so the table stays
/// readable and survives reordering of enum members; decimals and dates as invariant strings because the table
/// service has no decimal or date-only type.
/// </summary>
internal static class EntityColumns
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Required(this TableEntity entity, string column) =>
        entity.GetString(column) ?? throw new InvalidDataException($"Row {entity.PartitionKey}/{entity.RowKey} has no '{column}'.");

    public static TEnum GetEnum<TEnum>(this TableEntity entity, string column)
        where TEnum : struct, Enum =>
        Enum.Parse<TEnum>(entity.Required(column));

    public static DateTimeOffset GetInstant(this TableEntity entity, string column) =>
        entity.GetDateTimeOffset(column) ?? default;

    public static void SetIfNotNull(this TableEntity entity, string column, object? value)
    {
        if (value is not null)
        {
            entity[column] = value;
        }
    }

    public static string? ToColumn(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    public static decimal? ToDecimal(string? value) => value is null ? null : decimal.Parse(value, NumberStyles.Number, CultureInfo.InvariantCulture);

    public static string? ToColumn(DateOnly? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly? ToDateOnly(string? value) => value is null ? null : DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static T FromJson<T>(this TableEntity entity, string column, T fallback)
    {
        var json = entity.GetString(column);
        return json is null ? fallback : JsonSerializer.Deserialize<T>(json, Json) ?? fallback;
    }
}
