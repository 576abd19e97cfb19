using System.Globalization;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support.Hosts;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Support.Recording;

/// <summary>
/// Runs a scenario on another <see cref="IProcessHost"/> and writes down every step as one line of text: mmap,
/// munmap, reads (with what was read), writes, open, close and each ioctl with its decoded argument, its result or
/// errno and the fields the call changed (returned IDs, IOVAs, lengths, counts). Addresses and fds are named
/// through <see cref="HostNames"/>, so the same scenario on a simulated and on a real process gives the same lines
/// exactly when both kernels behaved the same.
/// </summary>
public sealed class RecordingProcessHost : IProcessHost
{
    private readonly IProcessHost _inner;
    private readonly HostNames _names = new();
    private readonly List<string> _steps = new();

    /// <summary>Records what runs on <paramref name="inner"/>.</summary>
    public RecordingProcessHost(IProcessHost inner) => _inner = inner;

    /// <summary>The steps so far, one line each.</summary>
    public IReadOnlyList<string> Steps => _steps;

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public SimulatedProcess? Simulated => _inner.Simulated;

    /// <inheritdoc />
    public IReadOnlyCollection<string>? KernelWarnings => _inner.KernelWarnings;

    /// <summary>Adds a line that is not a syscall (a runner's note: an assertion, the end of a phase).</summary>
    public void Note(string text) => _steps.Add("note " + text);

    /// <inheritdoc />
    public ulong Mmap(ulong length, MemoryProtection protection = MemoryProtection.ReadWrite, MmapFlags flags = MmapFlags.None, ulong alignment = SimulatedProcess.PageSize)
    {
        var address = _inner.Mmap(length, protection, flags, alignment);
        var granule = (flags & MmapFlags.HugeTlb) != 0 ? 2UL << 20 : SimulatedProcess.PageSize;
        var number = _names.AddMapping(address, (Math.Max(length, 1) + granule - 1) / granule * granule);
        _steps.Add($"mmap 0x{length:X} {protection} {flags} align 0x{alignment:X} = map#{number}");
        return address;
    }

    /// <inheritdoc />
    public Errno Munmap(ulong address, ulong length)
    {
        var result = _inner.Munmap(address, length);
        _steps.Add($"munmap {_names.Address(address)} 0x{length:X} = {Text(result)}");
        return result;
    }

    /// <inheritdoc />
    public Errno Read(ulong address, Span<byte> destination)
    {
        var result = _inner.Read(address, destination);
        _steps.Add($"read {_names.Address(address)} 0x{destination.Length:X} = {Text(result)}{(result == Errno.None ? " " + Digest(destination) : string.Empty)}");
        return result;
    }

    /// <inheritdoc />
    public Errno Write(ulong address, ReadOnlySpan<byte> source)
    {
        var result = _inner.Write(address, source);
        // What is written is the scenario's own input (and may hold addresses): only where and how much.
        _steps.Add($"write {_names.Address(address)} 0x{source.Length:X} = {Text(result)}");
        return result;
    }

    /// <inheritdoc />
    public int OpenIommufd()
    {
        var fd = _inner.OpenIommufd();
        _steps.Add($"open /dev/iommu = {(fd >= 0 ? _names.Fd(fd) : Text(fd))}");
        return fd;
    }

    /// <inheritdoc />
    public int OpenVfioDevice(int index)
    {
        var fd = _inner.OpenVfioDevice(index);
        _steps.Add($"open /dev/vfio/devices/vfio{index} = {(fd >= 0 ? _names.Fd(fd) : Text(fd))}");
        return fd;
    }

    /// <inheritdoc />
    public Errno Close(int fd)
    {
        var name = _names.Fd(fd);
        var result = _inner.Close(fd);
        if (result == Errno.None)
        {
            _names.Closed(fd);
        }

        _steps.Add($"close {name} = {Text(result)}");
        return result;
    }

    /// <inheritdoc />
    public int Ioctl(int fd, uint command, ulong argument)
    {
        var entry = IoctlCatalog.Find(command);
        var fdName = _names.Fd(fd);
        if (entry is null || entry.IsValue)
        {
            var result = _inner.Ioctl(fd, command, argument);
            var shown = entry is null ? _names.Address(argument) : argument.ToString(CultureInfo.InvariantCulture);
            _steps.Add($"ioctl {fdName} {IoctlCatalog.NameOf(command)} arg {shown} = {Text(result)}");
            return result;
        }

        var before = new byte[entry.NativeSize];
        var readable = _inner.Read(argument, before) == Errno.None;
        var outcome = _inner.Ioctl(fd, command, argument);
        if (!readable)
        {
            _steps.Add($"ioctl {fdName} {entry.Name} arg {_names.Address(argument)} (unreadable) = {Text(outcome)}");
            return outcome;
        }

        var after = new byte[entry.NativeSize];
        _inner.Read(argument, after);
        AddIoctl(fdName, entry, before, after, outcome, $" at {_names.Address(argument)}");
        return outcome;
    }

    /// <inheritdoc />
    public int Ioctl(int fd, uint command, Span<byte> argument)
    {
        var entry = IoctlCatalog.Find(command);
        var fdName = _names.Fd(fd);
        var before = argument.ToArray();
        var result = _inner.Ioctl(fd, command, argument);
        if (entry is null)
        {
            _steps.Add($"ioctl {fdName} 0x{command:X} {Convert.ToHexString(before)} = {Text(result)} -> {Convert.ToHexString(argument)}");
            return result;
        }

        AddIoctl(fdName, entry, before, argument.ToArray(), result, string.Empty);
        return result;
    }

    /// <inheritdoc />
    public IIoctlFile File(int fd) => new HostIoctlFile(this, fd);

    /// <inheritdoc />
    public void Adopt(int fd) => _inner.Adopt(fd);

    /// <inheritdoc />
    public SimulatedProcess RequireSimulated(string facility) => _inner.RequireSimulated(facility);

    /// <inheritdoc />
    public void Dispose() => _inner.Dispose();

    /// <summary>"0", "-ENOENT" or the positive value.</summary>
    public static string Text(int result) => result < 0 ? "-" + (Errno)(-result) : result.ToString(CultureInfo.InvariantCulture);

    private static string Text(Errno result) => result == Errno.None ? "0" : "-" + result;

    private void AddIoctl(string fdName, IoctlCatalog.Entry entry, byte[] before, byte[] after, int result, string where)
    {
        var input = StructText.Fields(entry.Struct, before, _names);
        AdoptInstalledFd(entry, after, result);
        var output = StructText.Fields(entry.Struct, after, _names);
        var changed = output.Where((field, i) => i >= input.Count || input[i] != field).ToList();
        var line = $"ioctl {fdName} {entry.Name}{where} {{{StructText.Join(input)}}} = {Text(result)}";
        if (changed.Count != 0)
        {
            line += $" -> {{{StructText.Join(changed)}}}";
        }

        _steps.Add(line);
    }

    // CREATE_ACCESS installs an fd: the real host must close it if the scenario does not.
    private void AdoptInstalledFd(IoctlCatalog.Entry entry, byte[] after, int result)
    {
        if (result == 0 && entry.Struct == typeof(IommuTestCmd) && StructText.TestOp(after) == IommuTestOp.CreateAccess)
        {
            _inner.Adopt(BitConverter.ToInt32(after, 16));
        }
    }

    // Short data in full; longer data as length, a hash and its first bytes.
    private static string Digest(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= 32)
        {
            return Convert.ToHexString(bytes);
        }

        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return $"fnv:{hash:X16} {Convert.ToHexString(bytes[..16])}…";
    }
}
