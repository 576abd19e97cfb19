using System.Globalization;
using System.Text.RegularExpressions;

namespace IommuContracts.Cli.Diff;

/// <summary>
/// Reads the output of "git diff --unified=0": the "+++ b/path" header names the file, each "@@ -a,b +c,d @@"
/// hunk adds lines c..c+d-1 of the new version (d defaults to 1; d = 0 is a pure deletion and adds none).
/// </summary>
internal static partial class UnifiedDiffParser
{
    public static Dictionary<string, List<LineRange>> Parse(string diff, string repositoryRoot)
    {
        var result = new Dictionary<string, List<LineRange>>(StringComparer.Ordinal);
        List<LineRange>? current = null;
        foreach (var line in diff.Split('\n'))
        {
            if (line.StartsWith("+++ ", StringComparison.Ordinal))
            {
                var target = line[4..].TrimEnd('\r');
                if (target == "/dev/null")
                {
                    current = null;
                    continue;
                }

                var relative = target.StartsWith("b/", StringComparison.Ordinal) ? target[2..] : target;
                var fullPath = Path.GetFullPath(Path.Combine(repositoryRoot, relative));
                if (!result.TryGetValue(fullPath, out current))
                {
                    current = [];
                    result[fullPath] = current;
                }

                continue;
            }

            if (current is null || !line.StartsWith("@@", StringComparison.Ordinal))
            {
                continue;
            }

            var match = HunkHeader().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var start = int.Parse(match.Groups["start"].Value, CultureInfo.InvariantCulture);
            var count = match.Groups["count"].Success ? int.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture) : 1;
            if (count > 0)
            {
                current.Add(new LineRange(start, start + count - 1));
            }
        }

        return result;
    }

    [GeneratedRegex(@"^@@+ -\d+(?:,\d+)? \+(?<start>\d+)(?:,(?<count>\d+))? @@")]
    private static partial Regex HunkHeader();
}
