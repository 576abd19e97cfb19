using System.Text;
using System.Text.RegularExpressions;

namespace IommuContracts.Replay;

/// <summary>
/// How the recorded ioctls of the engine side ended, by command (and IOMMU_TEST_CMD op): a check that the random
/// sequences reach success paths and not only the first argument check.
/// </summary>
internal sealed partial class StepStatistics
{
    private readonly SortedDictionary<string, SortedDictionary<string, int>> _counts = new(StringComparer.Ordinal);

    public void Add(IEnumerable<string> steps)
    {
        foreach (var step in steps)
        {
            var match = IoctlLine().Match(step);
            if (!match.Success)
            {
                continue;
            }

            var name = match.Groups["name"].Value + (match.Groups["op"].Success ? " " + match.Groups["op"].Value : string.Empty);
            if (!_counts.TryGetValue(name, out var results))
            {
                _counts[name] = results = new SortedDictionary<string, int>(StringComparer.Ordinal);
            }

            var result = match.Groups["result"].Value;
            results[result] = results.GetValueOrDefault(result) + 1;
        }
    }

    public string Describe()
    {
        var text = new StringBuilder("engine-side results by ioctl:\n");
        foreach (var (name, results) in _counts)
        {
            text.Append("  ").Append(name.PadRight(44)).Append(string.Join(", ", results.OrderByDescending(r => r.Value).Select(r => $"{r.Key} ×{r.Value}"))).Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }

    // "ioctl fd#1 NAME {... op=Op ...} = RESULT" (struct ioctls) or "ioctl fd#1 NAME arg V = RESULT" (value ioctls).
    [GeneratedRegex(@"^ioctl \S+ (?<name>\S+)(?: at \S+)?(?: \{size=\S+ op=(?<op>\S+))?.*? = (?<result>-?[A-Z0-9]+)(?: ->|$)")]
    private static partial Regex IoctlLine();
}
