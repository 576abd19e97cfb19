using System.Globalization;

namespace IommuContracts.Engine.Tests.Support.Recording;

/// <summary>
/// Names for what differs between two runs of the same scenario on different hosts: user addresses become
/// <c>map#N+0xOFF</c> (mappings numbered in the order they were made) and file descriptors <c>fd#N</c> (numbered in
/// the order they appeared), so a simulated process and a real one produce the same text.
/// </summary>
public sealed class HostNames
{
    private const ulong GuardPage = 4096;

    private readonly List<(ulong Start, ulong Length)> _mappings = new();
    private readonly Dictionary<int, int> _fds = new();
    private int _fdsNamed;

    /// <summary>Records a new mapping and returns its number.</summary>
    public int AddMapping(ulong start, ulong length)
    {
        _mappings.Add((start, length));
        return _mappings.Count;
    }

    /// <summary>The fd's name, numbering it if it is new (negative values are results, not fds).</summary>
    public string Fd(int fd)
    {
        if (fd < 0)
        {
            return fd.ToString(CultureInfo.InvariantCulture);
        }

        if (!_fds.TryGetValue(fd, out var number))
        {
            number = ++_fdsNamed;
            _fds[fd] = number;
        }

        return $"fd#{number}";
    }

    /// <summary>Forgets a closed fd, so a later fd with the same number gets a new name, as a new file would.</summary>
    public void Closed(int fd) => _fds.Remove(fd);

    /// <summary>
    /// The address as <c>map#N+0xOFF</c> inside a mapping (the latest that covers it), else inside a mapping's guard
    /// page, else as a number. The body wins over a guard page because a real kernel packs mappings next to each other:
    /// the first byte of one mapping is the guard page of the mapping placed just below it.
    /// </summary>
    public string Address(ulong address)
    {
        return Named(address, guard: 0) ?? Named(address, GuardPage) ?? (address == 0 ? "NULL" : $"0x{address:X}");
    }

    private string? Named(ulong address, ulong guard)
    {
        for (var i = _mappings.Count - 1; i >= 0; i--)
        {
            var (start, length) = _mappings[i];
            if (address >= start && address - start < length + guard)
            {
                return $"map#{i + 1}+0x{address - start:X}";
            }
        }

        return null;
    }
}
