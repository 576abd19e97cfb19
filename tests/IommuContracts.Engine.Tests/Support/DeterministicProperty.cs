using CsCheck;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// Reproducible property runs on top of CsCheck. Case i is generated from <c>new PCG(i, seed)</c>, so the
/// same cases run every time, on one thread. On the first failing case CsCheck shrinks it (starting from
/// that case's seed, a bounded number of tries), and the smallest failing list seen is then reduced further
/// by deleting elements one at a time while it still fails. The failure message names the seed, the
/// CsCheck result and the reduced case.
/// </summary>
internal static class DeterministicProperty
{
    public static void Run<T>(
        Gen<T[]> gen,
        Action<T[]> property,
        int cases,
        ulong seed,
        Func<T[], string> describe,
        long shrinkIterations = 4000)
    {
        for (uint i = 0; i < cases; i++)
        {
            var pcg = new PCG(i, seed);
            var seedText = pcg.ToString(pcg.State);
            var value = gen.Generate(pcg, null, out _);
            var first = Failure(property, value);
            if (first is null)
            {
                continue;
            }

            // Shrinking keeps to failures of the same kind, so one bug does not turn into another.
            var signature = Signature(first);
            void SameFailure(T[] candidate)
            {
                var failure = Failure(property, candidate);
                if (failure is not null && Signature(failure) == signature)
                {
                    throw failure;
                }
            }

            // CsCheck's shrinker, seeded with the failing case; remember the smallest failing list it tries.
            var smallest = value;
            var shrinkReport = "CsCheck did not reproduce the failure";
            try
            {
                Check.Sample(
                    gen,
                    candidate =>
                    {
                        var failure = Failure(SameFailure, candidate);
                        if (failure is null)
                        {
                            return;
                        }

                        if (candidate.Length <= smallest.Length)
                        {
                            smallest = candidate;
                        }

                        throw failure;
                    },
                    seed: seedText,
                    iter: shrinkIterations,
                    threads: 1,
                    print: describe);
            }
            catch (Exception e)
            {
                shrinkReport = e.Message;
            }

            var reduced = Reduce(SameFailure, smallest);
            var reducedFailure = Failure(property, reduced)!;
            throw new Xunit.Sdk.XunitException(
                $"Property failed on case {i} (CsCheck seed {seedText}).\n" +
                $"Reduced to {reduced.Length} operation(s):\n{describe(reduced)}\n" +
                $"Failure of the reduced case: {reducedFailure.Message}\n\n" +
                $"CsCheck shrink: {shrinkReport}\n\nOriginal failure: {first.Message}");
        }
    }

    /// <summary>Deletes chunks, then single elements, while the property keeps failing (ddmin-style, deterministic).</summary>
    public static T[] Reduce<T>(Action<T[]> property, T[] failing)
    {
        var current = failing.ToList();
        for (var chunk = Math.Max(1, current.Count / 2); chunk >= 1; chunk /= 2)
        {
            var progress = true;
            while (progress)
            {
                progress = false;
                for (var start = 0; start + chunk <= current.Count; start++)
                {
                    var candidate = current.Take(start).Concat(current.Skip(start + chunk)).ToArray();
                    if (candidate.Length > 0 && Failure(property, candidate) is not null)
                    {
                        current = candidate.ToList();
                        progress = true;
                        break;
                    }
                }
            }
        }

        return current.ToArray();
    }

    /// <summary>The kind of a failure: the exception type and the message's first line up to the values.</summary>
    private static string Signature(Exception e)
    {
        var line = e.Message.Split('\n')[0];
        var cut = line.IndexOf(": model expects", StringComparison.Ordinal);
        return e.GetType().Name + ":" + (cut >= 0 ? line[..cut] : line);
    }

    private static Exception? Failure<T>(Action<T[]> property, T[] value)
    {
        try
        {
            property(value);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
