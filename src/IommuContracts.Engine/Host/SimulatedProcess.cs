using IommuContracts.Engine.Core;

namespace IommuContracts.Engine.Host;

/// <summary>
/// The embedded default host: a process with page-granular virtual memory, an fd table, capabilities and
/// RLIMIT_MEMLOCK. Every user pointer the engine sees is an address in this process, so EFAULT, munmapped
/// buffers and pin accounting behave as they do under the kernel. Nothing a caller passes in makes it
/// throw: bad fds are EBADF, bad addresses EFAULT.
/// </summary>
public sealed class SimulatedProcess : IUserMemory
{
    /// <summary>The page size of the simulated host, 4 KiB; Mmap, pinning and accounting work in these units.</summary>
    public const int PageSize = 4096;

    private readonly AddressSpace _memory;
    private readonly object _fdLock = new();
    private readonly SortedDictionary<int, OpenFile> _files = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, (ulong Address, int Length)> _scratch = new();
    private long _pinnedPages;
    private long _lockedPages;
    private UserFault? _userFault;

    /// <summary>Starts a process with no open files, no capabilities and the default RLIMIT_MEMLOCK.</summary>
    /// <param name="kernel">The machine it runs on; a new <see cref="SimulatedKernel"/> when null.</param>
    /// <param name="uid">The user it runs as (1000 by default).</param>
    public SimulatedProcess(SimulatedKernel? kernel = null, int uid = 1000)
    {
        Kernel = kernel ?? new SimulatedKernel();
        User = Kernel.User(uid);
        _memory = new AddressSpace(Kernel.PhysicalMemory);
    }

    /// <summary>The machine this process runs on.</summary>
    public SimulatedKernel Kernel { get; }

    /// <summary>The user this process runs as; owns the per-user locked_vm.</summary>
    public UserAccount User { get; }

    /// <summary>The capabilities the process holds (<see cref="Host.Capabilities.None"/> by default).</summary>
    public Capabilities Capabilities { get; set; }

    /// <summary>RLIMIT_MEMLOCK in bytes (Linux's default is 8 MiB).</summary>
    public ulong MemlockLimit { get; set; } = 8UL << 20;

    /// <summary>Pages charged to this process (mm->pinned_vm), used in process accounting mode.</summary>
    public long PinnedPages => Volatile.Read(ref _pinnedPages);

    internal ref long PinnedPagesCounter => ref _pinnedPages;

    /// <summary>Pages charged to this process's locked_vm (process accounting mode only).</summary>
    public long LockedPages => Volatile.Read(ref _lockedPages);

    internal ref long LockedPagesCounter => ref _lockedPages;

    /// <summary>True when the process holds every capability in <paramref name="capability"/>.</summary>
    /// <param name="capability">One or more capabilities.</param>
    /// <returns>Whether all of them are held.</returns>
    public bool Has(Capabilities capability) => (Capabilities & capability) == capability;

    // ---- memory ----

    /// <summary>mmap: a new mapping of <paramref name="length"/> bytes (rounded up to pages); nothing is allocated until touched.</summary>
    public ulong Mmap(ulong length, MemoryProtection protection = MemoryProtection.ReadWrite, MmapFlags flags = MmapFlags.None, ulong alignment = PageSize)
        => _memory.Map(length, protection, flags, alignment);

    /// <summary>munmap: removes the mappings in the range; later accesses there fail with EFAULT.</summary>
    /// <param name="address">The page-aligned start of the range.</param>
    /// <param name="length">The length in bytes, rounded up to pages.</param>
    /// <returns><see cref="Errno.None"/>, or <see cref="Errno.EINVAL"/> for an unaligned or empty range.</returns>
    public Errno Munmap(ulong address, ulong length) => _memory.Unmap(address, length);

    /// <summary>mprotect: changes the protection of the pages in the range.</summary>
    /// <param name="address">The page-aligned start of the range.</param>
    /// <param name="length">The length in bytes, rounded up to pages.</param>
    /// <param name="protection">The new protection.</param>
    /// <returns><see cref="Errno.None"/>; <see cref="Errno.EINVAL"/> for an unaligned or empty range, <see cref="Errno.ENOMEM"/> when part of it is not mapped.</returns>
    public Errno Mprotect(ulong address, ulong length, MemoryProtection protection) => _memory.Protect(address, length, protection);

    /// <summary>Reads process memory with the process's own rights: unmapped or unreadable bytes fail.</summary>
    /// <param name="address">The user virtual address.</param>
    /// <param name="destination">Receives the bytes.</param>
    /// <returns><see cref="Errno.None"/>, or <see cref="Errno.EFAULT"/>.</returns>
    public Errno Read(ulong address, Span<byte> destination) => _memory.Read(address, destination);

    /// <summary>Writes process memory; unmapped or read-only bytes fail.</summary>
    /// <param name="address">The user virtual address.</param>
    /// <param name="source">The bytes to write.</param>
    /// <returns><see cref="Errno.None"/>, or <see cref="Errno.EFAULT"/>.</returns>
    public Errno Write(ulong address, ReadOnlySpan<byte> source) => _memory.Write(address, source);

    /// <summary>How many times the page at <paramref name="address"/> is pinned (0 if never touched).</summary>
    public int PinCount(ulong address) => _memory.PeekPage(address)?.PinCount ?? 0;

    Errno IUserMemory.CopyFromUser(ulong address, Span<byte> destination)
    {
        TakeUserFault(address, (ulong)destination.Length);
        return _memory.Read(address, destination);
    }

    Errno IUserMemory.CopyToUser(ulong address, ReadOnlySpan<byte> source)
    {
        TakeUserFault(address, (ulong)source.Length);
        return _memory.Write(address, source);
    }

    /// <summary>
    /// userfaultfd for tests: the next kernel-side copy from or to [address, address + length) first runs
    /// <paramref name="handler"/> on the copying thread (once), the way a user fault handler stalls an ioctl
    /// in the middle of reading its argument. This is how a race with that ioctl is made deterministic.
    /// </summary>
    internal void ArmUserFault(ulong address, ulong length, Action handler)
        => Volatile.Write(ref _userFault, new UserFault(address, length, handler));

    /// <summary>Whether a kernel copy from (or, with <paramref name="write"/>, to) the range would succeed: EFAULT if not. Costs the mappings, not the length.</summary>
    internal Errno CheckUserRange(ulong address, ulong length, bool write)
        => _memory.CheckRange(address, length, write ? MemoryProtection.Write : MemoryProtection.Read);

    internal Errno GetUserPages(ulong address, int count, bool write, Span<UserPage> pages) => _memory.GetPages(address, count, write, pages);

    internal UserPage? PeekPage(ulong address) => _memory.PeekPage(address);

    /// <summary>
    /// mmap of a file: <paramref name="length"/> bytes from <paramref name="offset"/> of the file behind
    /// <paramref name="fd"/>, shared (<see cref="MmapFlags.Shared"/>) or private. EINVAL for a zero length or an
    /// offset that is not page aligned, EBADF, ENODEV for a file that cannot be mapped, or what its mmap
    /// answers. The mapping keeps what it maps alive after the fd is closed.
    /// </summary>
    public Errno Mmap(int fd, ulong length, MemoryProtection protection, MmapFlags flags, ulong offset, out ulong address)
    {
        address = 0;
        if (length == 0 || offset % PageSize != 0 || length > ulong.MaxValue - PageSize)
        {
            return Errno.EINVAL;
        }

        if (!TryGetFile(fd, out var file))
        {
            return Errno.EBADF;
        }

        try
        {
            var shared = (flags & MmapFlags.Shared) != 0;
            var mapped = file.Mmap(length, protection, shared, offset, out var backing, out var firstPage);
            if (mapped != Errno.None)
            {
                return mapped;
            }

            address = _memory.MapBacking(length, protection, shared, backing!, firstPage);
            return Errno.None;
        }
        finally
        {
            file.Put();
        }
    }

    // ---- files ----

    /// <summary>open("/dev/iommu"): a new iommufd context.</summary>
    public int OpenIommufd() => Install(new IommufdFile(this));

    /// <summary>open("/dev/vfio/devices/vfioN"): works before any bind; every ioctl but BIND is EINVAL until bound.</summary>
    public int OpenVfioDevice(Drivers.VfioDeviceNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Install(new Drivers.VfioDeviceFile(node));
    }

    /// <summary>memfd_create: a new empty memfd (size 0; set it with <see cref="Ftruncate"/>); the fd, or -EINVAL for unknown flags.</summary>
    public int MemfdCreate(string name, MemfdFlags flags = MemfdFlags.None)
    {
        ArgumentNullException.ThrowIfNull(name);
        if ((flags & ~(MemfdFlags.CloExec | MemfdFlags.AllowSealing | MemfdFlags.HugeTlb)) != 0)
        {
            return Errno.EINVAL.ToSyscallResult();
        }

        return Install(new MemfdFile(Kernel.PhysicalMemory, name, (flags & MemfdFlags.HugeTlb) != 0));
    }

    /// <summary>ftruncate: sets the size of the memfd behind <paramref name="fd"/>; EBADF, EINVAL for anything that is not a memfd.</summary>
    public Errno Ftruncate(int fd, ulong length)
    {
        if (!TryGetFile(fd, out var file))
        {
            return Errno.EBADF;
        }

        try
        {
            return file is MemfdFile memfd ? memfd.Truncate(length) : Errno.EINVAL;
        }
        finally
        {
            file.Put();
        }
    }

    /// <summary>read(2) of <paramref name="count"/> bytes into <paramref name="buffer"/> (an address in this process): bytes read or -errno.</summary>
    public long ReadFile(int fd, ulong buffer, ulong count)
    {
        if (!TryGetFile(fd, out var file))
        {
            return Errno.EBADF.ToSyscallResult();
        }

        try
        {
            return file.Read(this, buffer, count);
        }
        finally
        {
            file.Put();
        }
    }

    /// <summary>read(2) into a buffer held by the caller (copied through this process's memory, like the real syscall sees it).</summary>
    public long ReadFile(int fd, Span<byte> destination)
    {
        var scratch = Scratch(destination.Length);
        var result = ReadFile(fd, scratch, (ulong)destination.Length);
        _memory.Read(scratch, destination);
        return result;
    }

    /// <summary>write(2) of <paramref name="count"/> bytes from <paramref name="buffer"/> (an address in this process): bytes written or -errno.</summary>
    public long WriteFile(int fd, ulong buffer, ulong count)
    {
        if (!TryGetFile(fd, out var file))
        {
            return Errno.EBADF.ToSyscallResult();
        }

        try
        {
            return file.Write(this, buffer, count);
        }
        finally
        {
            file.Put();
        }
    }

    /// <summary>write(2) from a buffer held by the caller (copied through this process's memory).</summary>
    public long WriteFile(int fd, ReadOnlySpan<byte> source)
    {
        var scratch = Scratch(source.Length);
        _memory.Write(scratch, source);
        return WriteFile(fd, scratch, (ulong)source.Length);
    }

    /// <summary>poll(2) of one fd without waiting: the events ready now, <see cref="PollEvents.Nval"/> for an fd that is not open.</summary>
    public PollEvents Poll(int fd)
    {
        if (!TryGetFile(fd, out var file))
        {
            return PollEvents.Nval;
        }

        try
        {
            return file.Poll();
        }
        finally
        {
            file.Put();
        }
    }

    /// <summary>
    /// Passes the file behind <paramref name="fd"/> to <paramref name="target"/> (as SCM_RIGHTS or pidfd_getfd
    /// do): the new fd in the target, or -EBADF. Both fds then refer to the same open file.
    /// </summary>
    public int ShareFd(int fd, SimulatedProcess target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!TryGetFile(fd, out var file))
        {
            return Errno.EBADF.ToSyscallResult();
        }

        return target.Install(file);
    }

    /// <summary>
    /// The fd as an <see cref="IIoctlFile"/> for the generated stubs. The wrapper owns the fd: disposing it closes
    /// the fd (<c>using var iommufd = process.File(process.OpenIommufd());</c>); an fd that names no file gives a
    /// wrapper whose ioctls are EBADF.
    /// </summary>
    public SimulatedIoctlFile File(int fd)
    {
        lock (_fdLock)
        {
            return new(this, fd, _files.TryGetValue(fd, out var file) && file is not ReservedFd ? file : null);
        }
    }

    /// <summary>close(2): the fd is free again; the file is released when its last reference goes. EBADF for an fd that names no file.</summary>
    public Errno Close(int fd) => Close(fd, expected: null);

    /// <summary>close(2) of <paramref name="fd"/> only while it still names <paramref name="file"/> (a disposed wrapper must not close a reused number).</summary>
    internal void CloseIfStill(int fd, OpenFile file) => Close(fd, file);

    private Errno Close(int fd, OpenFile? expected)
    {
        OpenFile? file;
        lock (_fdLock)
        {
            if (!_files.TryGetValue(fd, out file) || file is ReservedFd || (expected is not null && !ReferenceEquals(file, expected)))
            {
                return Errno.EBADF;
            }

            _files.Remove(fd);
        }

        // Outside the fd lock: the last reference releases the file, which may tear down a whole context.
        file.Put();
        return Errno.None;
    }

    /// <summary>ioctl(fd, command, argument) with the argument an address in this process.</summary>
    [IommuContracts.Contracts.RawIoctl]
    public int Ioctl(int fd, uint command, ulong argument)
    {
        if (!TryGetFile(fd, out var file))
        {
            return Errno.EBADF.ToSyscallResult();
        }

        try
        {
            return file.Ioctl(this, command, argument);
        }
        finally
        {
            file.Put();
        }
    }

    /// <summary>ioctl with a struct held by the caller: copied into this process's memory and back, like the real syscall sees it.</summary>
    [IommuContracts.Contracts.RawIoctl]
    public int Ioctl(int fd, uint command, Span<byte> argument)
    {
        var scratch = Scratch(argument.Length);
        _memory.Write(scratch, argument);
        var result = Ioctl(fd, command, scratch);
        _memory.Read(scratch, argument);
        return result;
    }

    /// <summary>The file descriptors open now, in ascending order.</summary>
    public IReadOnlyList<int> OpenFds
    {
        get
        {
            lock (_fdLock)
            {
                return _files.Keys.ToArray();
            }
        }
    }

    /// <summary>get_unused_fd: reserves the lowest free fd; EBADF to ioctls until <see cref="InstallReserved"/>.</summary>
    internal int ReserveFd() => Install(ReservedFd.Instance);

    /// <summary>fd_install into a reserved fd.</summary>
    internal void InstallReserved(int fd, OpenFile file)
    {
        lock (_fdLock)
        {
            _files[fd] = file;
        }
    }

    /// <summary>put_unused_fd.</summary>
    internal void ReleaseReservedFd(int fd)
    {
        lock (_fdLock)
        {
            _files.Remove(fd);
        }
    }

    internal int Install(OpenFile file)
    {
        lock (_fdLock)
        {
            // Lowest free descriptor from 3 up, as POSIX requires.
            var fd = 3;
            while (_files.ContainsKey(fd))
            {
                fd++;
            }

            _files[fd] = file;
            return fd;
        }
    }

    /// <summary>fget: the file behind <paramref name="fd"/> with a new reference the caller must Put.</summary>
    internal bool TryGetFile(int fd, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OpenFile? file)
    {
        lock (_fdLock)
        {
            if (!_files.TryGetValue(fd, out file) || file is ReservedFd)
            {
                file = null;
                return false;
            }

            file.Get();
            return true;
        }
    }

    private void TakeUserFault(ulong address, ulong length)
    {
        if (Volatile.Read(ref _userFault) is not { } fault || length == 0
            || address > fault.Address + (fault.Length - 1) || fault.Address > address + (length - 1))
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _userFault, null, fault) == fault)
        {
            fault.Handler();
        }
    }

    private ulong Scratch(int length)
    {
        // One scratch buffer per calling thread, so concurrent ioctls never share it.
        var thread = Environment.CurrentManagedThreadId;
        var current = _scratch.GetValueOrDefault(thread);
        if (current.Length < length)
        {
            var size = Math.Max(PageSize, (length + PageSize - 1) / PageSize * PageSize);
            current = (_memory.Map((ulong)size, MemoryProtection.ReadWrite, MmapFlags.None, PageSize), size);
            _scratch[thread] = current;
        }

        return current.Address;
    }

    private sealed record UserFault(ulong Address, ulong Length, Action Handler);
}
