using System.Xml;
using System.Xml.Schema;
using Koppel.Formats.Findings;
using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>Validates the document against the UBL 2.1 XSDs in one streaming pass of a validating XmlReader.</summary>
public static class XsdValidationLayer
{
    public const string LayerName = "XSD";

    public static ValidationLayerResult Validate(Stream content, UblValidationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(options);
        if (options.XsdFolder is null)
        {
            return ValidationLayerResult.Skipped(LayerName, "No UBL 2.1 XSD folder configured.");
        }

        if (!XsdSchemaCache.LooksLikeUblXsdFolder(options.XsdFolder))
        {
            return ValidationLayerResult.Skipped(LayerName, $"No UBL 2.1 schemas (maindoc/UBL-Invoice-2.1.xsd) in '{options.XsdFolder}'.");
        }

        var findings = new List<Finding>();
        var maxDepth = options.ReaderOptions.MaxElementDepth;
        var settings = UblReader.CreateSecureSettings(options.ReaderOptions.MaxDocumentBytes);
        settings.ValidationType = ValidationType.Schema;
        settings.Schemas = XsdSchemaCache.Get(options.XsdFolder);
        settings.ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) =>
        {
            if (findings.Count < options.MaxXsdFindings)
            {
                var severity = e.Severity == XmlSeverityType.Error ? FindingSeverity.Fatal : FindingSeverity.Warning;
                findings.Add(new Finding("XSD", severity, e.Message, $"line {e.Exception?.LineNumber ?? 0}, position {e.Exception?.LinePosition ?? 0}"));
            }
        };

        using var limited = new SizeLimitedStream(content, options.ReaderOptions.MaxDocumentBytes);
        using var reader = XmlReader.Create(limited, settings);
        try
        {
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.Depth > maxDepth)
                {
                    var position = (IXmlLineInfo)reader;
                    throw new DocumentReadException(UblReadRules.TooDeep, $"Elements are nested deeper than {maxDepth} levels", position.LineNumber, position.LinePosition);
                }

                // Past the cap the verdict is settled; validating on would only spend time on a broken file.
                if (findings.Count >= options.MaxXsdFindings)
                {
                    findings.Add(new Finding("XSD", FindingSeverity.Information, $"XSD validation stopped after {options.MaxXsdFindings} errors.", null));
                    break;
                }
            }
        }
        catch (XmlException ex)
        {
            throw UblReader.TranslateXmlException(ex, reader as IXmlLineInfo, limited.Prefix);
        }

        return ValidationLayerResult.FromFindings(LayerName, findings);
    }
}
