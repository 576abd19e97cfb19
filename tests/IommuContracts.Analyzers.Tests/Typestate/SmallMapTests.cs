using IommuContracts.Analyzers.Typestate;

namespace IommuContracts.Analyzers.Tests.Typestate;

/// <summary>
/// The map the flow states are made of: immutable (every change is a new map, the old one is untouched), unchanged
/// maps are the same instance (the fixpoint compares states by their maps), and entries keep their insertion order.
/// </summary>
public class SmallMapTests
{
    private static readonly SmallMap<string, int> Empty = SmallMap<string, int>.Create(StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void A_change_makes_a_new_map_and_leaves_the_old_one_as_it_was()
    {
        var one = Empty.SetItem("a", 1);
        var two = one.SetItem("b", 2).SetItem("A", 10);

        Assert.Equal([("a", 1)], Pairs(one));
        Assert.Equal([("a", 10), ("b", 2)], Pairs(two));
        Assert.True(two.TryGetValue("B", out var b));
        Assert.Equal(2, b);
        Assert.False(one.ContainsKey("b"));
        Assert.Equal(0, Empty.Count);
    }

    [Fact]
    public void Setting_the_same_value_or_removing_a_missing_key_returns_the_same_map()
    {
        var map = Empty.SetItem("a", 1).SetItem("b", 2);

        Assert.Same(map, map.SetItem("A", 1));
        Assert.Same(map, map.Remove("c"));
        Assert.NotSame(map, map.SetItem("a", 3));
    }

    [Fact]
    public void Removing_keeps_the_order_of_the_others()
    {
        var map = Empty.SetItem("a", 1).SetItem("b", 2).SetItem("c", 3).SetItem("d", 4);

        Assert.Equal([("a", 1), ("c", 3), ("d", 4)], Pairs(map.Remove("B")));
        Assert.Equal([("b", 2), ("c", 3), ("d", 4)], Pairs(map.Remove("a")));
        Assert.Equal([("a", 1), ("b", 2), ("c", 3)], Pairs(map.Remove("d")));
        Assert.Empty(Pairs(map.Clear()));
    }

    [Fact]
    public void A_builder_starts_from_a_map_and_keeps_the_first_place_of_a_key_set_twice()
    {
        var builder = Empty.SetItem("a", 1).SetItem("b", 2).ToBuilder();
        builder["c"] = 3;
        builder["A"] = 5;

        Assert.Equal([("a", 5), ("b", 2), ("c", 3)], Pairs(builder.ToImmutable()));
        Assert.Equal(5, builder["a"]);
        Assert.Throws<KeyNotFoundException>(() => builder["z"]);
    }

    [Fact]
    public void Keys_with_the_same_hash_are_still_told_apart()
    {
        var map = SmallMap<int, string>.Create(new OneHash()).SetItem(1, "one").SetItem(2, "two").SetItem(1, "uno");

        Assert.Equal(2, map.Count);
        Assert.Equal("uno", map[1]);
        Assert.Equal("two", map[2]);
        Assert.Equal("two", map.Remove(1)[2]);
    }

    private static List<(string, int)> Pairs(SmallMap<string, int> map)
    {
        var pairs = new List<(string, int)>();
        foreach (var pair in map)
        {
            pairs.Add((pair.Key, pair.Value));
        }

        return pairs;
    }

    private sealed class OneHash : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => x == y;

        public int GetHashCode(int obj) => 7;
    }
}
