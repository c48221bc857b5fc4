using Koppel.Formats.Ubl;
using static Koppel.Formats.Validation.RuleMath;

namespace Koppel.Formats.Validation;

/// <summary>EN 16931 rules on each invoice line and its allowances and charges (BR-21 … BR-44, BR-CO-04).</summary>
internal static class En16931LineRules
{
    public static void Check(RuleFindings f)
    {
        foreach (var line in f.Document.Lines)
        {
            f.CheckLine(!IsBlank(line.Id), "BR-21", "Each invoice line (BG-25) shall have a line identifier (BT-126).", line);
            f.CheckLine(line.IncompleteItemPropertyCount == 0, "BR-54", "Each item attribute (BG-32) shall contain an item attribute name (BT-160) and an item attribute value (BT-161).", line, "/cac:Item/cac:AdditionalItemProperty");
            f.CheckLine(line.Quantity is not null || line.HasQuantity, "BR-22", "Each invoice line (BG-25) shall have an invoiced quantity (BT-129).", line);
            f.CheckLine(line.Quantity?.UnitCode is not null || line.HasQuantityUnitCode, "BR-23", "An invoice line (BG-25) shall have a unit of measure code (BT-130).", line);
            f.CheckLine(line.LineExtensionAmount is not null, "BR-24", "Each invoice line (BG-25) shall have a net amount (BT-131).", line);
            f.CheckLine(!IsBlank(line.ItemName), "BR-25", "Each invoice line (BG-25) shall contain the item name (BT-153).", line);
            f.CheckLine(line.Price?.Amount is not null, "BR-26", "Each invoice line (BG-25) shall contain the item net price (BT-146).", line);
            f.CheckLine(line.Price?.Amount?.Value >= 0, "BR-27", "The item net price (BT-146) shall not be negative.", line, "/cac:Price/cbc:PriceAmount");
            var grossPrice = line.Price?.AllowanceCharges.FirstOrDefault(a => a.BaseAmount is not null)?.BaseAmount;
            f.CheckLine(grossPrice is null || grossPrice.Value >= 0, "BR-28", "The item gross price (BT-148) shall not be negative.", line, "/cac:Price/cac:AllowanceCharge/cbc:BaseAmount");
            f.CheckLine(line.TaxCategory is { IsVat: true, Id: not null }, "BR-CO-04", "Each invoice line (BG-25) shall be categorised with an invoiced item VAT category code (BT-151).", line);
            f.CheckLine(HasAtMostTwoDecimals(line.LineExtensionAmount), "BR-DEC-23", "The invoice line net amount (BT-131) has more than 2 decimals.", line, "/cbc:LineExtensionAmount");
            if (line.AllowanceCharges.Count > 0)
            {
                CheckLineAllowanceCharges(f, line, f.Line(line));
            }
        }
    }

    private static void CheckLineAllowanceCharges(RuleFindings f, UblLine line, string lineAt)
    {
        for (var i = 0; i < line.AllowanceCharges.Count; i++)
        {
            var ac = line.AllowanceCharges[i];
            var at = $"{lineAt}/cac:AllowanceCharge[{i + 1}]";
            var hasReason = ac.Reason is not null || ac.ReasonCode is not null;
            if (ac.IsCharge == false)
            {
                f.Check(ac.Amount is not null || ac.HasAmount, "BR-41", "Each invoice line allowance (BG-27) shall have an amount (BT-136).", at);
                f.Check(hasReason, "BR-42", "Each invoice line allowance (BG-27) shall have a reason (BT-139) or reason code (BT-140).", at);
                f.Check(hasReason, "BR-CO-23", "Each invoice line allowance (BG-27) shall contain a reason (BT-139), a reason code (BT-140), or both.", at);
                f.Check(HasAtMostTwoDecimals(ac.Amount), "BR-DEC-24", "The invoice line allowance amount (BT-136) has more than 2 decimals.", at + "/cbc:Amount");
                f.Check(HasAtMostTwoDecimals(ac.BaseAmount), "BR-DEC-25", "The invoice line allowance base amount (BT-137) has more than 2 decimals.", at + "/cbc:BaseAmount");
            }
            else if (ac.IsCharge == true)
            {
                f.Check(ac.Amount is not null || ac.HasAmount, "BR-43", "Each invoice line charge (BG-28) shall have an amount (BT-141).", at);
                f.Check(hasReason, "BR-44", "Each invoice line charge (BG-28) shall have a reason (BT-144) or reason code (BT-145).", at);
                f.Check(hasReason, "BR-CO-24", "Each invoice line charge (BG-28) shall contain a reason (BT-144), a reason code (BT-145), or both.", at);
                f.Check(HasAtMostTwoDecimals(ac.Amount), "BR-DEC-27", "The invoice line charge amount (BT-141) has more than 2 decimals.", at + "/cbc:Amount");
                f.Check(HasAtMostTwoDecimals(ac.BaseAmount), "BR-DEC-28", "The invoice line charge base amount (BT-142) has more than 2 decimals.", at + "/cbc:BaseAmount");
            }
        }
    }
}
