namespace IommuContracts.Analyzers.Tests.Support;

/// <summary>
/// The code a group of tests shares around the part each test is about, written once with a line BODY where
/// that part goes: the template shows the snippet's shape in one place, each test only what differs.
/// </summary>
public static class SnippetTemplate
{
    public const string Hole = "BODY";

    public static string Fill(string template, string body)
    {
        // Without the hole the test's own code would silently be dropped and only the template verified.
        if (!template.Contains(Hole, StringComparison.Ordinal))
        {
            throw new ArgumentException("the template has no " + Hole + " line", nameof(template));
        }

        return template.Replace(Hole, body, StringComparison.Ordinal);
    }
}
