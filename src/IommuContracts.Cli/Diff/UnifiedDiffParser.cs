using System.Globalization;
using System.Text.RegularExpressions;

namespace IommuContracts.Cli.Diff;

/// <summary>
/// Reads the output of "git diff --unified=0": the "+++ b/path" header names the file, each "@@ -a,b +c,d @@"
/// hunk adds lines c..c+d-1 of the new version (d defaults to 1). A hunk with d = 0 only deletes: its b lines sat
/// after line c of the new version.
/// </summary>
internal static partial class UnifiedDiffParser
{
    public static Dictionary<string, FileChanges> Parse(string diff, string repositoryRoot)
    {
        var changed = new Dictionary<string, (List<LineRange> Changed, List<int> Deleted)>(StringComparer.Ordinal);
        (List<LineRange> Changed, List<int> Deleted)? current = null;
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
                if (!changed.TryGetValue(fullPath, out var entry))
                {
                    entry = ([], []);
                    changed[fullPath] = entry;
                }

                current = entry;
                continue;
            }

            if (current is not { } file || !line.StartsWith("@@", StringComparison.Ordinal))
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
                file.Changed.Add(new LineRange(start, start + count - 1));
            }
            else
            {
                file.Deleted.Add(start);
            }
        }

        return changed.ToDictionary(pair => pair.Key, pair => new FileChanges(pair.Value.Changed, pair.Value.Deleted), StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^@@+ -\d+(?:,\d+)? \+(?<start>\d+)(?:,(?<count>\d+))? @@")]
    private static partial Regex HunkHeader();
}
