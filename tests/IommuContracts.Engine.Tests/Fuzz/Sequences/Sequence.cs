using System.Text;

namespace IommuContracts.Engine.Tests.Fuzz.Sequences;

/// <summary>A random sequence of mmap / munmap / ioctl / close steps, reproducible from its seed.</summary>
public sealed record Sequence(int Seed, IReadOnlyList<SequenceStep> Steps)
{
    /// <summary>The same sequence with only the steps at <paramref name="indices"/> (for minimising).</summary>
    public Sequence Keep(IEnumerable<int> indices) => this with { Steps = indices.Select(i => Steps[i]).ToList() };

    /// <summary>One step per line, numbered.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        for (var i = 0; i < Steps.Count; i++)
        {
            text.Append("  ").Append(i + 1).Append(". ").Append(Steps[i]).Append('\n');
        }

        return text.ToString();
    }
}
