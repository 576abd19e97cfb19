using System.Buffers.Binary;

namespace IommuContracts.Fuzz;

/// <summary>
/// Reads a fuzz input as a stream of small decisions. Every read past the end answers 0 and marks the input
/// exhausted, so any byte string decodes to some finite program: the fuzzer mutates decisions, not formats.
/// A recording reader makes the decisions itself (operations from a script, the rest at random) and keeps the
/// bytes that replay them: that is how the seed corpus gets programs that build real state.
/// </summary>
public sealed class InputReader
{
    private readonly byte[] _bytes;
    private readonly Random? _random;
    private readonly Queue<int>? _script;
    private readonly List<byte>? _recorded;
    private int _position;

    public InputReader(byte[] bytes) => _bytes = bytes;

    private InputReader(Random random, IEnumerable<int> script)
    {
        _bytes = [];
        _random = random;
        _script = new Queue<int>(script);
        _recorded = new List<byte>();
    }

    /// <summary>True once a read ran past the end of the input.</summary>
    public bool Exhausted { get; private set; }

    /// <summary>No decision left: the input is used up, or a recording's script is done.</summary>
    public bool AtEnd => _recorded is null ? _position >= _bytes.Length : _script!.Count == 0;

    /// <summary>The bytes that replay the decisions a recording reader made.</summary>
    public byte[] Recorded => _recorded?.ToArray() ?? [];

    /// <summary>A reader that takes operation choices from <paramref name="script"/> and every other decision from <paramref name="random"/>.</summary>
    public static InputReader Recording(Random random, IEnumerable<int> script) => new(random, script);

    public byte Byte()
    {
        if (_recorded is not null)
        {
            var value = (byte)_random!.Next(256);
            _recorded.Add(value);
            return value;
        }

        if (_position >= _bytes.Length)
        {
            Exhausted = true;
            return 0;
        }

        return _bytes[_position++];
    }

    /// <summary>The next operation, one of <paramref name="count"/> (at most 256).</summary>
    public int Operation(int count)
    {
        if (_recorded is not null && _script!.TryDequeue(out var scripted))
        {
            _recorded.Add((byte)scripted);
            return scripted % count;
        }

        return Choice(count);
    }

    /// <summary>A choice among <paramref name="count"/> alternatives (one byte up to 256, four above).</summary>
    public int Choice(int count) => count <= 256 ? Byte() % count : (int)(U32() % (uint)count);

    public bool Bit() => (Byte() & 1) != 0;

    public ushort U16() => (ushort)(Byte() | (Byte() << 8));

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian([Byte(), Byte(), Byte(), Byte()]);

    public ulong U64() => U32() | ((ulong)U32() << 32);

    /// <summary>Up to <paramref name="max"/> raw bytes, length first.</summary>
    public byte[] Bytes(int max)
    {
        var length = Choice(max + 1);
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = Byte();
        }

        return bytes;
    }
}
