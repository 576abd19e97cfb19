using System.Collections;
using System.Collections.Generic;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// An immutable map for the few entries a flow state holds (the handles of one body, its flags, its aliases): one
/// array of entries, searched by hash then key; a change copies the array of references and makes one entry. The
/// states are rebuilt at every operation of every analysed body, and with a handful of entries a copied array costs
/// little where <c>ImmutableDictionary</c> allocates a path of tree nodes and buckets and pays a pooled enumerator to
/// be read. Enumeration follows insertion order (a changed entry keeps its place), so the analysis is deterministic.
/// </summary>
internal sealed class SmallMap<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
{
    private readonly Entry[] _entries;

    private SmallMap(IEqualityComparer<TKey> comparer, Entry[] entries)
    {
        Comparer = comparer;
        _entries = entries;
    }

    public IEqualityComparer<TKey> Comparer { get; }

    public int Count => _entries.Length;

    public bool IsEmpty => _entries.Length == 0;

    public static SmallMap<TKey, TValue> Create(IEqualityComparer<TKey> comparer) => new(comparer, System.Array.Empty<Entry>());

    public static Builder CreateBuilder(IEqualityComparer<TKey> comparer) => new(comparer);

    /// <summary>A builder that starts from this map's entries.</summary>
    public Builder ToBuilder() => new(Comparer, _entries);

    public TValue this[TKey key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException();

    public IEnumerable<TKey> Keys
    {
        get
        {
            foreach (var entry in _entries)
            {
                yield return entry.Key;
            }
        }
    }

    public IEnumerable<TValue> Values
    {
        get
        {
            foreach (var entry in _entries)
            {
                yield return entry.Value;
            }
        }
    }

    public bool ContainsKey(TKey key) => IndexOf(key) >= 0;

    public bool TryGetValue(TKey key, out TValue value)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            value = default!;
            return false;
        }

        value = _entries[index].Value;
        return true;
    }

    /// <summary>The map with <paramref name="key"/> set to <paramref name="value"/> (this map when it already is).</summary>
    public SmallMap<TKey, TValue> SetItem(TKey key, TValue value)
    {
        var hash = Comparer.GetHashCode(key);
        var index = IndexOf(key, hash);
        Entry[] entries;
        if (index >= 0)
        {
            if (EqualityComparer<TValue>.Default.Equals(_entries[index].Value, value))
            {
                return this;
            }

            entries = Copy(_entries, extra: 0);
            entries[index] = new Entry(hash, _entries[index].Key, value);
        }
        else
        {
            entries = Copy(_entries, extra: 1);
            entries[_entries.Length] = new Entry(hash, key, value);
        }

        return new SmallMap<TKey, TValue>(Comparer, entries);
    }

    /// <summary>The map without <paramref name="key"/> (this map when it has none).</summary>
    public SmallMap<TKey, TValue> Remove(TKey key)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            return this;
        }

        var entries = new Entry[_entries.Length - 1];
        System.Array.Copy(_entries, entries, index);
        System.Array.Copy(_entries, index + 1, entries, index, entries.Length - index);
        return new SmallMap<TKey, TValue>(Comparer, entries);
    }

    public SmallMap<TKey, TValue> Clear() => _entries.Length == 0 ? this : Create(Comparer);

    public Enumerator GetEnumerator() => new(_entries);

    IEnumerator<KeyValuePair<TKey, TValue>> IEnumerable<KeyValuePair<TKey, TValue>>.GetEnumerator() => Pairs().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => Pairs().GetEnumerator();

    private IEnumerable<KeyValuePair<TKey, TValue>> Pairs()
    {
        foreach (var entry in _entries)
        {
            yield return new KeyValuePair<TKey, TValue>(entry.Key, entry.Value);
        }
    }

    // A new array and a copy: for an array of eight references about twice as fast as Array.Clone (the runtime's
    // generic object copy), measured on .NET 10.
    private static Entry[] Copy(Entry[] source, int extra)
    {
        var copy = new Entry[source.Length + extra];
        System.Array.Copy(source, copy, source.Length);
        return copy;
    }

    private int IndexOf(TKey key) => _entries.Length == 0 ? -1 : IndexOf(key, Comparer.GetHashCode(key));

    private int IndexOf(TKey key, int hash)
    {
        var entries = _entries;
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Hash == hash && Comparer.Equals(entries[i].Key, key))
            {
                return i;
            }
        }

        return -1;
    }

    // A class, so a change copies one reference per entry, not every value (a handle's facts are a large struct).
    internal sealed class Entry
    {
        public Entry(int hash, TKey key, TValue value)
        {
            Hash = hash;
            Key = key;
            Value = value;
        }

        public int Hash { get; }

        public TKey Key { get; }

        public TValue Value { get; }
    }

    /// <summary>Reads the entries in order without allocating (what <c>foreach</c> binds to).</summary>
    public struct Enumerator
    {
        private readonly Entry[] _entries;
        private int _index;

        internal Enumerator(Entry[] entries)
        {
            _entries = entries;
            _index = -1;
        }

        public KeyValuePair<TKey, TValue> Current => new(_entries[_index].Key, _entries[_index].Value);

        public bool MoveNext() => ++_index < _entries.Length;
    }

    /// <summary>Collects entries (a key set twice keeps its first place and its last value), then makes the map once.</summary>
    public sealed class Builder : IEnumerable<KeyValuePair<TKey, TValue>>
    {
        private readonly IEqualityComparer<TKey> _comparer;
        private readonly List<Entry> _entries = new();

        internal Builder(IEqualityComparer<TKey> comparer) => _comparer = comparer;

        internal Builder(IEqualityComparer<TKey> comparer, Entry[] entries)
        {
            _comparer = comparer;
            _entries.AddRange(entries);
        }

        public int Count => _entries.Count;

        public TValue this[TKey key]
        {
            get
            {
                var index = IndexOf(key, _comparer.GetHashCode(key));
                return index >= 0 ? _entries[index].Value : throw new KeyNotFoundException();
            }

            set
            {
                var hash = _comparer.GetHashCode(key);
                var index = IndexOf(key, hash);
                if (index >= 0)
                {
                    _entries[index] = new Entry(hash, _entries[index].Key, value);
                }
                else
                {
                    _entries.Add(new Entry(hash, key, value));
                }
            }
        }

        public bool TryGetValue(TKey key, out TValue value)
        {
            var index = IndexOf(key, _comparer.GetHashCode(key));
            value = index >= 0 ? _entries[index].Value : default!;
            return index >= 0;
        }

        public void AddRange(SmallMap<TKey, TValue> map)
        {
            foreach (var pair in map)
            {
                this[pair.Key] = pair.Value;
            }
        }

        public SmallMap<TKey, TValue> ToImmutable() => new(_comparer, _entries.ToArray());

        public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
        {
            foreach (var entry in _entries)
            {
                yield return new KeyValuePair<TKey, TValue>(entry.Key, entry.Value);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private int IndexOf(TKey key, int hash)
        {
            for (var i = 0; i < _entries.Count; i++)
            {
                if (_entries[i].Hash == hash && _comparer.Equals(_entries[i].Key, key))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
