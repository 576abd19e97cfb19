namespace IommuContracts.Engine.Tests.Support.Replay;

/// <summary>
/// Zeller's ddmin over the items of a failing input: removes chunks (halves, quarters, ... single items) while the
/// input still fails, and returns a 1-minimal subset: removing any one item makes it pass. Each test runs the whole
/// input again, so the number of tests is bounded by <paramref name="maxTests"/>.
/// </summary>
public static class DeltaDebugging
{
    /// <summary>
    /// The indices (ascending) of a minimal failing subset of <paramref name="count"/> items. <paramref name="fails"/> is
    /// asked about candidate subsets (ascending indices); the full set must fail.
    /// </summary>
    public static IReadOnlyList<int> Minimise(int count, Func<IReadOnlyList<int>, bool> fails, int maxTests = 400)
    {
        ArgumentNullException.ThrowIfNull(fails);
        var current = Enumerable.Range(0, count).ToList();
        var granularity = 2;
        var tests = 0;
        while (current.Count >= 2 && tests < maxTests)
        {
            var chunks = Split(current, granularity);
            var reduced = false;

            // Reduce to a complement first: it removes one chunk at a time and keeps the order of what is left.
            foreach (var chunk in chunks)
            {
                var complement = current.Except(chunk).ToList();
                if (complement.Count == 0)
                {
                    continue;
                }

                tests++;
                if (fails(complement))
                {
                    current = complement;
                    granularity = Math.Max(granularity - 1, 2);
                    reduced = true;
                    break;
                }

                if (tests >= maxTests)
                {
                    break;
                }
            }

            if (reduced)
            {
                continue;
            }

            if (granularity >= current.Count)
            {
                break;
            }

            granularity = Math.Min(granularity * 2, current.Count);
        }

        return current;
    }

    private static List<List<int>> Split(List<int> items, int parts)
    {
        var chunks = new List<List<int>>();
        var start = 0;
        for (var i = 0; i < parts; i++)
        {
            var end = start + ((items.Count - start) / (parts - i));
            if (end > start)
            {
                chunks.Add(items.GetRange(start, end - start));
            }

            start = end;
        }

        return chunks;
    }
}
