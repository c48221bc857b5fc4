using System.Net.Mail;
using Koppel.Core.Domain;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Security;

namespace Koppel.Core.Dossiers;

/// <summary>What a caller sends to create or update a dossier.</summary>
public sealed record DossierInput(string? Name, string? EnterpriseNumber, string? VatNumber, string? ContactEmail, string? TimeZone, string? PaymentSchedule = null);

/// <summary>Creates, reads, updates and deletes dossiers, enforcing the rules on their fields.</summary>
public sealed class DossierService(IDossierRepository dossiers, IConnectionRepository connections, ConnectionService connectionService, TimeProvider clock)
{
    public async Task<Dossier> CreateAsync(DossierInput input, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(caller);
        var validated = Validate(input);
        caller.EnsureCanAccess(validated.Id);
        if (await dossiers.GetAsync(validated.Id, cancellationToken) is not null)
        {
            throw new ResourceConflictException($"Dossier {validated.Id} exists already.");
        }

        var now = clock.GetUtcNow();
        var dossier = validated with { CreatedAt = now, UpdatedAt = now };
        await dossiers.UpsertAsync(dossier, cancellationToken);
        return dossier;
    }

    public async Task<Dossier> GetAsync(string dossierId, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        return await dossiers.GetAsync(dossierId, cancellationToken)
            ?? throw new ResourceNotFoundException($"Dossier {dossierId} does not exist.");
    }

    public async Task<IReadOnlyList<Dossier>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var result = new List<Dossier>();
        await foreach (var dossier in dossiers.ListAsync(cancellationToken))
        {
            if (caller.CanAccess(dossier.Id))
            {
                result.Add(dossier);
            }
        }

        return result;
    }

    /// <summary>
    /// One page of the dossiers the caller may see. A caller for every dossier pages through the store; a caller for a
    /// few dossiers pages through its own list (in id order), so its pages are full and it never reads other dossiers.
    /// </summary>
    public async Task<Page<Dossier>> ListPageAsync(Caller caller, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(page);
        if (caller.AllDossiers)
        {
            return await dossiers.ListPageAsync(page, cancellationToken);
        }

        var after = page.ContinuationToken;
        var result = new List<Dossier>();
        string? last = null;
        foreach (var id in caller.Dossiers.Order(StringComparer.Ordinal).Where(id => after is null || string.CompareOrdinal(id, after) > 0))
        {
            if (result.Count == page.Size)
            {
                return new Page<Dossier>(result, last);
            }

            last = id;
            if (await dossiers.GetAsync(id, cancellationToken) is { } dossier)
            {
                result.Add(dossier);
            }
        }

        return new Page<Dossier>(result, null);
    }

    public async Task<Dossier> UpdateAsync(string dossierId, DossierInput input, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var existing = await GetAsync(dossierId, caller, cancellationToken);
        var validated = Validate(input with { EnterpriseNumber = input.EnterpriseNumber ?? existing.EnterpriseNumber });
        if (validated.Id != existing.Id)
        {
            throw new RequestValidationException("enterpriseNumber", "The enterprise number identifies the dossier and cannot change; create a new dossier instead.");
        }

        var updated = validated with { CreatedAt = existing.CreatedAt, UpdatedAt = clock.GetUtcNow() };
        await dossiers.UpsertAsync(updated, cancellationToken);
        return updated;
    }

    /// <summary>Deletes the dossier and its connections (and their secrets). Archived documents and logs stay: they are the record of what happened.</summary>
    public async Task DeleteAsync(string dossierId, Caller caller, CancellationToken cancellationToken)
    {
        await GetAsync(dossierId, caller, cancellationToken);
        var toDelete = new List<Connection>();
        await foreach (var connection in connections.ListAsync(dossierId, cancellationToken))
        {
            toDelete.Add(connection);
        }

        foreach (var connection in toDelete)
        {
            await connectionService.DeleteAsync(dossierId, connection.Id, caller, cancellationToken);
        }

        await dossiers.DeleteAsync(dossierId, cancellationToken);
    }

    private static Dossier Validate(DossierInput input)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors.Add("name", "A name is required.");
        }
        else if (input.Name.Length > 200)
        {
            errors.Add("name", "The name is longer than 200 characters.");
        }

        EnterpriseNumber? number = null;
        if (!Domain.EnterpriseNumber.TryParse(input.EnterpriseNumber, out number, out var problem))
        {
            errors.Add("enterpriseNumber", problem!);
        }

        string? vat = null;
        if (!string.IsNullOrWhiteSpace(input.VatNumber))
        {
            vat = new string(input.VatNumber.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant();
            if (vat.StartsWith("BE", StringComparison.Ordinal) && number is not null && vat != number.Value.VatNumber)
            {
                errors.Add("vatNumber", $"A Belgian VAT number must be BE followed by the enterprise number ({number.Value.VatNumber}).");
            }
            else if (vat.Length < 4 || !char.IsAsciiLetter(vat[0]) || !char.IsAsciiLetter(vat[1]))
            {
                errors.Add("vatNumber", "A VAT number starts with a two-letter country code.");
            }
        }
        else if (number is not null)
        {
            vat = number.Value.VatNumber;
        }

        if (!string.IsNullOrWhiteSpace(input.ContactEmail) && !MailAddress.TryCreate(input.ContactEmail, out _))
        {
            errors.Add("contactEmail", $"'{input.ContactEmail}' is not an e-mail address.");
        }

        var timeZone = string.IsNullOrWhiteSpace(input.TimeZone) ? "Europe/Brussels" : input.TimeZone;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            errors.Add("timeZone", $"'{timeZone}' is not a known time zone (use an IANA name such as Europe/Brussels).");
        }

        var paymentSchedule = string.IsNullOrWhiteSpace(input.PaymentSchedule) ? null : input.PaymentSchedule.Trim();
        if (Payments.PaymentSchedule.Problem(paymentSchedule) is { } scheduleProblem && paymentSchedule is not null)
        {
            errors.Add("paymentSchedule", scheduleProblem);
        }

        errors.ThrowIfAny();
        return new Dossier
        {
            Id = number!.Value.Value,
            Name = input.Name!.Trim(),
            EnterpriseNumber = number.Value.Value,
            VatNumber = vat,
            ContactEmail = string.IsNullOrWhiteSpace(input.ContactEmail) ? null : input.ContactEmail.Trim(),
            TimeZone = timeZone,
            PaymentSchedule = paymentSchedule,
        };
    }
}
