using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace IommuContracts.Analyzers.Tests.Infrastructure;

/// <summary>
/// The lock-free per-symbol cache: every key stored once, whichever thread adds it and while the table doubles
/// (6 000 keys take it from 1 024 buckets through three resizes), so every caller gets the same value instance.
/// </summary>
public class SymbolCacheTests
{
    private const int KeyCount = 6000;

    private static readonly INamedTypeSymbol[] Keys = CreateKeys();

    [Fact]
    public void Each_key_is_computed_once_and_found_after_the_table_grows()
    {
        var cache = new SymbolCache<INamedTypeSymbol, object>();
        var computed = 0;
        var first = Keys.Select(k => cache.GetOrAdd(k, (_, _) => { computed++; return new object(); }, 0)).ToArray();
        var again = Keys.Select(k => cache.GetOrAdd(k, (_, _) => { computed++; return new object(); }, 0)).ToArray();

        Assert.Equal(KeyCount, computed);
        for (var i = 0; i < KeyCount; i++)
        {
            Assert.Same(first[i], again[i]);
            Assert.True(cache.TryGetValue(Keys[i], out var found));
            Assert.Same(first[i], found);
        }
    }

    [Fact]
    public void An_add_for_a_stored_key_keeps_the_first_value()
    {
        var cache = new SymbolCache<INamedTypeSymbol, string>();
        cache.TryAdd(Keys[0], "first");
        cache.TryAdd(Keys[0], "second");

        Assert.True(cache.TryGetValue(Keys[0], out var value));
        Assert.Equal("first", value);
        Assert.False(cache.TryGetValue(Keys[1], out _));
    }

    [Fact]
    public void Threads_adding_at_once_all_get_the_one_stored_instance()
    {
        const int Threads = 8;
        for (var round = 0; round < 20; round++)
        {
            var cache = new SymbolCache<INamedTypeSymbol, object>();
            var seen = new object[Threads][];
            var start = new Barrier(Threads);
            var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
            {
                // Each thread in its own order, half of them reading before they add, so adds, reads and the
                // resizes' bucket moves interleave.
                var order = Enumerable.Range(0, KeyCount).OrderBy(i => (i * (2 * t + 1) + round) % KeyCount).ToArray();
                var mine = new object[KeyCount];
                start.SignalAndWait();
                foreach (var i in order)
                {
                    if (t % 2 == 1 && cache.TryGetValue(Keys[i], out var early))
                    {
                        mine[i] = early;
                        continue;
                    }

                    mine[i] = cache.GetOrAdd(Keys[i], static (_, _) => new object(), 0);
                }

                seen[t] = mine;
            })).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());

            for (var i = 0; i < KeyCount; i++)
            {
                Assert.True(cache.TryGetValue(Keys[i], out var stored));
                for (var t = 0; t < Threads; t++)
                {
                    Assert.Same(stored, seen[t][i]);
                }
            }
        }
    }

    private static INamedTypeSymbol[] CreateKeys()
    {
        var source = string.Concat(Enumerable.Range(0, KeyCount).Select(i => $"class C{i} {{}}\n"));
        var compilation = CSharpCompilation.Create("keys", [CSharpSyntaxTree.ParseText(source)]);
        return compilation.GlobalNamespace.GetTypeMembers().OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
    }
}
