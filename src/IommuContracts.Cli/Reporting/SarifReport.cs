using System.Globalization;
using System.Text;
using System.Text.Json;
using IommuContracts.Cli.Findings;

namespace IommuContracts.Cli.Reporting;

/// <summary>
/// SARIF 2.1.0: one run whose driver lists every rule that ran (id, name, short and full description, help URI,
/// default level and enablement; not only the rules with results), and one result per finding with its rule index,
/// level, message and a physical location relative to the %SRCROOT% base (the repository root), so code-scanning
/// services place it on the right line. A rule's one-line fix is its help text; after a --diff compared with its
/// base, each result has a baselineState (new / unchanged).
/// </summary>
internal static class SarifReport
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
    public const string SourceRootBaseId = "%SRCROOT%";

    public static string Render(CheckReport report)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", SchemaUri);
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            WriteTool(json, report);
            WriteOriginalUriBaseIds(json, report);
            WriteResults(json, report);
            json.WriteString("columnKind", "utf16CodeUnits");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteTool(Utf8JsonWriter json, CheckReport report)
    {
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", ToolVersion.Name);
        json.WriteString("version", ToolVersion.Value);
        json.WriteString("semanticVersion", ToolVersion.Value);
        json.WriteString("informationUri", ToolVersion.InformationUri);
        json.WriteStartArray("rules");
        foreach (var rule in report.Rules)
        {
            json.WriteStartObject();
            json.WriteString("id", rule.Id);
            json.WriteString("name", PascalCase(rule.Title));
            WriteMessage(json, "shortDescription", rule.Title);
            if (rule.Description.Length > 0)
            {
                WriteMessage(json, "fullDescription", rule.Description);
            }

            if (rule.HelpUri is not null)
            {
                json.WriteString("helpUri", rule.HelpUri);
            }

            if (RuleFixes.For(rule.Id) is { } fix)
            {
                WriteMessage(json, "help", fix);
            }

            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", SeverityNames.SarifLevel(rule.DefaultSeverity));
            json.WriteBoolean("enabled", rule.IsEnabledByDefault);
            json.WriteEndObject();
            json.WriteStartObject("properties");
            json.WriteString("category", rule.Category);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteOriginalUriBaseIds(Utf8JsonWriter json, CheckReport report)
    {
        json.WriteStartObject("originalUriBaseIds");
        json.WriteStartObject(SourceRootBaseId);
        var root = report.RootDirectory.EndsWith(Path.DirectorySeparatorChar) ? report.RootDirectory : report.RootDirectory + Path.DirectorySeparatorChar;
        json.WriteString("uri", new Uri(root).AbsoluteUri);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteResults(Utf8JsonWriter json, CheckReport report)
    {
        var ruleIndex = report.Rules.Select((rule, index) => (rule.Id, index)).ToDictionary(p => p.Id, p => p.index, StringComparer.Ordinal);
        json.WriteStartArray("results");
        foreach (var finding in report.Findings)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", finding.RuleId);
            if (ruleIndex.TryGetValue(finding.RuleId, out var index))
            {
                json.WriteNumber("ruleIndex", index);
            }

            json.WriteString("level", SeverityNames.SarifLevel(finding.Severity));
            WriteMessage(json, "message", finding.Message);
            if (finding.Status != FindingStatus.Unknown)
            {
                // SARIF's own vocabulary for "compared with a baseline run".
                json.WriteString("baselineState", finding.Status == FindingStatus.New ? "new" : "unchanged");
            }

            if (finding.FilePath is not null)
            {
                WriteLocation(json, report, finding);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteLocation(Utf8JsonWriter json, CheckReport report, Finding finding)
    {
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        var display = report.DisplayPath(finding.FilePath!);
        if (Path.IsPathRooted(display))
        {
            json.WriteString("uri", new Uri(finding.FilePath!).AbsoluteUri);
        }
        else
        {
            json.WriteString("uri", string.Join('/', display.Split('/').Select(Uri.EscapeDataString)));
            json.WriteString("uriBaseId", SourceRootBaseId);
        }

        json.WriteEndObject();
        json.WriteStartObject("region");
        json.WriteNumber("startLine", finding.StartLine);
        json.WriteNumber("startColumn", finding.StartColumn);
        json.WriteNumber("endLine", finding.EndLine);
        json.WriteNumber("endColumn", finding.EndColumn);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteMessage(Utf8JsonWriter json, string property, string text)
    {
        json.WriteStartObject(property);
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    // "Annotated type must be partial" -> "AnnotatedTypeMustBePartial": SARIF's rule name is an identifier-like label.
    private static string PascalCase(string title)
    {
        var name = new StringBuilder();
        foreach (var word in title.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var letters = new string(word.Where(char.IsLetterOrDigit).ToArray());
            if (letters.Length > 0)
            {
                name.Append(char.ToUpper(letters[0], CultureInfo.InvariantCulture)).Append(letters.AsSpan(1));
            }
        }

        return name.ToString();
    }
}
