using System.Runtime.InteropServices;
using IommuContracts.Engine.Host;
using IommuContracts.Linux;

namespace IommuContracts.Engine.Tests.Support.Hosts;

/// <summary>
/// This process against the running kernel, through the Linux backend's syscalls: <c>/dev/iommu</c>, ioctls with
/// raw addresses, and anonymous memory read and written with process_vm_readv / writev. Every mapping it made and
/// every fd it opened or adopted is released on <see cref="Dispose"/>, so scenarios leave nothing behind.
/// </summary>
public sealed partial class LinuxProcessHost : IProcessHost
{
    private const int ProtRead = 0x1;
    private const int ProtWrite = 0x2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;
    private const int MapFixed = 0x10;
    private const int MapNoReserve = 0x4000;
    private const int MapHugeTlb = 0x40000;
    private const ulong HugePageSize = 2UL << 20;

    private readonly ILinuxSyscalls _syscalls = LinuxSyscalls.Current;
    private readonly List<(ulong Address, ulong Length)> _mappings = new();
    private readonly HashSet<int> _fds = new();
    private readonly string _path;

    /// <summary>A host on <paramref name="path"/> (the iommufd node).</summary>
    public LinuxProcessHost(string path = LinuxIommufdFile.DefaultPath) => _path = path;

    /// <summary>True where this host can run: Linux on a supported architecture with the iommufd node present.</summary>
    public static bool IsAvailable(string path = LinuxIommufdFile.DefaultPath) => LinuxIoctlFile.IsSupported && System.IO.File.Exists(path);

    /// <inheritdoc />
    public string Name => $"linux {_path}";

    /// <inheritdoc />
    public SimulatedProcess? Simulated => null;

    /// <inheritdoc />
    public IReadOnlyCollection<string>? KernelWarnings => null;

    /// <summary>The least alignment of every mapping (see <see cref="SimulatedProcessHost.MinimumMmapAlignment"/>).</summary>
    public ulong MinimumMmapAlignment { get; init; } = SimulatedProcess.PageSize;

    /// <inheritdoc />
    public ulong Mmap(ulong length, MemoryProtection protection = MemoryProtection.ReadWrite, MmapFlags flags = MmapFlags.None, ulong alignment = SimulatedProcess.PageSize)
    {
        var page = (ulong)Environment.SystemPageSize;
        alignment = Math.Max(alignment, MinimumMmapAlignment);
        var huge = (flags & MmapFlags.HugeTlb) != 0;
        var granule = huge ? HugePageSize : page;
        var size = AlignUp(Math.Max(length, 1), granule);
        alignment = Math.Max(alignment, granule);
        var prot = ((protection & MemoryProtection.Read) != 0 ? ProtRead : 0) | ((protection & MemoryProtection.Write) != 0 ? ProtWrite : 0);

        if (huge)
        {
            // Huge pages come aligned to their size; the guard is a normal page mapped PROT_NONE after them.
            var hugeStart = NativeMmap(0, (nuint)size, prot, MapPrivate | MapAnonymous | MapHugeTlb, -1, 0);
            if (hugeStart == -1)
            {
                throw new HostUnsupportedException($"MAP_HUGETLB of {size} bytes failed ({(Errno)Marshal.GetLastPInvokeError()}): reserve huge pages (vm.nr_hugepages)");
            }

            var start = (ulong)hugeStart;
            if (start % alignment != 0)
            {
                _syscalls.Unmap((nuint)start, (nuint)size);
                throw new HostUnsupportedException($"MAP_HUGETLB returned 0x{start:X}, not {alignment}-aligned");
            }

            Remember(start, size);
            return start;
        }

        // mmap only promises page alignment: map the slack and a guard page, give back what lies outside.
        var total = size + alignment - page + page;
        var raw = NativeMmap(0, (nuint)total, prot, MapPrivate | MapAnonymous, -1, 0);
        if (raw == -1)
        {
            throw new InvalidOperationException($"mmap of {total} bytes failed: {(Errno)Marshal.GetLastPInvokeError()}");
        }

        var first = (ulong)raw;
        var aligned = AlignUp(first, alignment);
        if (aligned != first)
        {
            _syscalls.Unmap((nuint)first, (nuint)(aligned - first));
        }

        var guard = aligned + size;
        var end = first + total;
        if (end > guard + page)
        {
            _syscalls.Unmap((nuint)(guard + page), (nuint)(end - guard - page));
        }

        // The guard page stays mapped but inaccessible, so nothing else lands right after the mapping.
        if (NativeMprotect((nuint)guard, (nuint)page, 0) != 0)
        {
            throw new InvalidOperationException($"mprotect of the guard page failed: {(Errno)Marshal.GetLastPInvokeError()}");
        }

        Remember(aligned, size + page);
        return aligned;
    }

    /// <summary>
    /// munmap, as the simulation does it: inside a mapping of this host the range is replaced by inaccessible memory
    /// (mmap MAP_FIXED PROT_NONE), so later mmaps never reuse the addresses (the simulation never reuses them) and
    /// a stale pointer keeps faulting. Pins the kernel holds stay as they would after munmap.
    /// </summary>
    public Errno Munmap(ulong address, ulong length)
    {
        if (length == 0 || address % (ulong)Environment.SystemPageSize != 0 || !Owns(address, length))
        {
            return _syscalls.Unmap((nuint)address, (nuint)length);
        }

        var replaced = NativeMmap((nuint)address, (nuint)length, 0, MapPrivate | MapAnonymous | MapFixed | MapNoReserve, -1, 0);
        return replaced == -1 ? (Errno)Marshal.GetLastPInvokeError() : Errno.None;
    }

    /// <inheritdoc />
    public Errno Read(ulong address, Span<byte> destination) => _syscalls.ReadMemory((nuint)address, destination);

    /// <inheritdoc />
    public Errno Write(ulong address, ReadOnlySpan<byte> source) => _syscalls.WriteMemory((nuint)address, source);

    /// <inheritdoc />
    public int OpenIommufd() => Open(_path);

    /// <inheritdoc />
    public int OpenVfioDevice(int index) => Open($"{LinuxVfioDeviceFile.DeviceDirectory}/vfio{index}");

    private int Open(string path)
    {
        var fd = _syscalls.Open(path, 0x2 | 0x80000);
        if (fd >= 0)
        {
            lock (_fds)
            {
                _fds.Add(fd);
            }
        }

        return fd;
    }

    /// <inheritdoc />
    public Errno Close(int fd)
    {
        lock (_fds)
        {
            // Only fds this host owns: closing another number could close one of the runtime's files.
            if (!_fds.Remove(fd))
            {
                return Errno.EBADF;
            }
        }

        return ErrnoExtensions.FromSyscallResult(_syscalls.Close(fd));
    }

    /// <inheritdoc />
    public int Ioctl(int fd, uint command, ulong argument) => _syscalls.Ioctl(fd, command, (nuint)argument);

    /// <inheritdoc />
    public unsafe int Ioctl(int fd, uint command, Span<byte> argument)
    {
        fixed (byte* address = argument)
        {
            return _syscalls.Ioctl(fd, command, (nuint)address);
        }
    }

    /// <inheritdoc />
    public IIoctlFile File(int fd) => new HostIoctlFile(this, fd);

    /// <inheritdoc />
    public void Adopt(int fd)
    {
        if (fd >= 0)
        {
            lock (_fds)
            {
                _fds.Add(fd);
            }
        }
    }

    /// <inheritdoc />
    public SimulatedProcess RequireSimulated(string facility) => throw new SimulatedOnlyException(facility);

    /// <summary>Closes every fd this host opened or adopted (access fds first, then iommufds) and unmaps its memory.</summary>
    public void Dispose()
    {
        int[] fds;
        lock (_fds)
        {
            fds = _fds.OrderByDescending(fd => fd).ToArray();
            _fds.Clear();
        }

        foreach (var fd in fds)
        {
            _syscalls.Close(fd);
        }

        foreach (var (address, length) in _mappings)
        {
            _syscalls.Unmap((nuint)address, (nuint)length);
        }

        _mappings.Clear();
    }

    private void Remember(ulong address, ulong length) => _mappings.Add((address, length));

    private bool Owns(ulong address, ulong length)
        => _mappings.Any(m => address >= m.Address && address - m.Address + length <= m.Length);

    private static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) & ~(alignment - 1);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint NativeMmap(nuint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    private static partial int NativeMprotect(nuint address, nuint length, int protection);
}
