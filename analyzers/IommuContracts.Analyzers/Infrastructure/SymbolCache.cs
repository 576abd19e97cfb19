using System;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Infrastructure;

/// <summary>
/// A per-compilation answer for each symbol, read and added without locks. Every analyzer thread adds to these caches
/// while the compiler's threads bind on the same two or more cores: with a lock per stripe (a
/// <c>ConcurrentDictionary</c>), an adder preempted while holding one made the others spin and then sleep, and a resize
/// took every lock. Here a reader follows immutable entry chains, an adder prepends to a bucket with one
/// compare-and-swap, and a resize moves buckets one at a time while adds and reads go on.
/// </summary>
/// <remarks>
/// Each key is stored once: an add that finds the key returns the stored value, so every caller of
/// <see cref="GetOrAdd"/> for a key gets the same instance (two may compute it; the first to add it wins). A resize
/// copies a bucket into the next table and then seals it with <see cref="Moved"/> in one compare-and-swap; whoever meets
/// a sealed bucket goes on in the next table, which already holds the bucket's entries. Nothing is ever removed.
/// </remarks>
internal sealed class SymbolCache<TSymbol, TValue>
    where TSymbol : class, ISymbol
{
    private const int InitialBuckets = 1024;

    // Past two entries per bucket on average, the table doubles.
    private const int EntriesPerBucket = 2;

    private static readonly Entry Moved = new(null!, 0, default!, null);

    private Table _table = new(InitialBuckets);

    /// <summary>The stored value for <paramref name="key"/>, if any.</summary>
    public bool TryGetValue(TSymbol key, out TValue value)
    {
        var hash = Hash(key);
        for (var table = Volatile.Read(ref _table); table is not null; table = table.Next)
        {
            var head = Volatile.Read(ref table.Buckets[table.IndexOf(hash)]);
            if (ReferenceEquals(head, Moved))
            {
                continue;
            }

            return Find(head, key, hash, out value);
        }

        value = default!;
        return false;
    }

    /// <summary>
    /// The stored value for <paramref name="key"/>, or <paramref name="compute"/>'s, stored first. The argument is passed
    /// through so callers can give a static lambda: the lookups are on hot paths and a closure would be allocated per call.
    /// </summary>
    public TValue GetOrAdd<TArgument>(TSymbol key, Func<TSymbol, TArgument, TValue> compute, TArgument argument)
        => TryGetValue(key, out var known) ? known : Add(key, compute(key, argument));

    /// <summary>Stores <paramref name="value"/> unless <paramref name="key"/> has a value already.</summary>
    public void TryAdd(TSymbol key, TValue value) => Add(key, value);

    // Returns the value stored for the key: this one, or one another thread stored first.
    private TValue Add(TSymbol key, TValue value)
    {
        var hash = Hash(key);
        var table = Volatile.Read(ref _table);
        while (true)
        {
            ref var bucket = ref table.Buckets[table.IndexOf(hash)];
            var head = Volatile.Read(ref bucket);
            if (ReferenceEquals(head, Moved))
            {
                // Sealed by a resize: its entries, and any add from now on, are in the next table.
                table = table.Next!;
                continue;
            }

            if (Find(head, key, hash, out var stored))
            {
                return stored;
            }

            if (ReferenceEquals(Interlocked.CompareExchange(ref bucket, new Entry(key, hash, value, head), head), head))
            {
                if (Interlocked.Increment(ref table.Count) > table.Buckets.Length * EntriesPerBucket)
                {
                    Grow(table);
                }

                return value;
            }

            // Another add or the seal came first: look again.
        }
    }

    // One thread moves the current table into one twice its size; the others go on meanwhile. Only the published table
    // grows, so a table being filled by a move is never itself being moved.
    private void Grow(Table full)
    {
        if (!ReferenceEquals(Volatile.Read(ref _table), full) || Interlocked.Exchange(ref full.Growing, 1) != 0)
        {
            return;
        }

        var next = new Table(full.Buckets.Length * 2);
        Volatile.Write(ref full.Next, next);
        for (var index = 0; index < full.Buckets.Length; index++)
        {
            Entry? copiedFrom = null;
            while (true)
            {
                // Chains only grow at the head, so what is new since the last look ends where that look began.
                var head = Volatile.Read(ref full.Buckets[index]);
                for (var entry = head; entry is not null && !ReferenceEquals(entry, copiedFrom); entry = entry.Next)
                {
                    // No add to the next table can hold this key yet: adders go there only once the bucket is sealed.
                    Prepend(next, entry);
                    Interlocked.Increment(ref next.Count);
                }

                if (ReferenceEquals(Interlocked.CompareExchange(ref full.Buckets[index], Moved, head), head))
                {
                    break;
                }

                // An add slipped in before the seal: copy what it added and try again.
                copiedFrom = head;
            }
        }

        Volatile.Write(ref _table, next);
    }

    private static void Prepend(Table table, Entry entry)
    {
        ref var bucket = ref table.Buckets[table.IndexOf(entry.Hash)];
        while (true)
        {
            var head = Volatile.Read(ref bucket);
            if (ReferenceEquals(Interlocked.CompareExchange(ref bucket, new Entry(entry.Key, entry.Hash, entry.Value, head), head), head))
            {
                return;
            }
        }
    }

    private static bool Find(Entry? entry, TSymbol key, int hash, out TValue value)
    {
        for (; entry is not null; entry = entry.Next)
        {
            if (entry.Hash == hash && SymbolEqualityComparer.Default.Equals(entry.Key, key))
            {
                value = entry.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    // Spreads the high bits into the low ones the bucket index is taken from.
    private static int Hash(TSymbol key)
    {
        var hash = SymbolEqualityComparer.Default.GetHashCode(key);
        return hash ^ (hash >> 16);
    }

    // Immutable, so a chain read once stays valid whatever is prepended or moved meanwhile (compared by reference only).
    private sealed record Entry(TSymbol Key, int Hash, TValue Value, Entry? Next);

    private sealed class Table
    {
        public readonly Entry?[] Buckets;
        public int Count;
        public int Growing;
        public Table? Next;

        public Table(int buckets) => Buckets = new Entry?[buckets];

        public int IndexOf(int hash) => hash & (Buckets.Length - 1);
    }
}
