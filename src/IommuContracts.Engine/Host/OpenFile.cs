namespace IommuContracts.Engine.Host;

/// <summary>
/// A struct file: reference counted, released when the last reference goes (fds hold one each, in-kernel
/// users such as bound devices take more, as iommufd_ctx_get does with get_file; so do mappings of it).
/// Its file operations answer as a Linux file without that operation does unless a kind overrides them.
/// </summary>
internal abstract class OpenFile
{
    private int _references = 1;

    public abstract string Name { get; }

    public bool IsReleased => Volatile.Read(ref _references) == 0;

    public void Get()
    {
        if (Interlocked.Increment(ref _references) <= 1)
        {
            throw new InvalidOperationException($"{Name}: reference taken on a released file");
        }
    }

    public void Put()
    {
        var left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            Release();
        }
        else if (left < 0)
        {
            throw new InvalidOperationException($"{Name}: released twice");
        }
    }

    /// <summary>Runs one ioctl issued by <paramref name="caller"/>; returns ≥ 0 or -errno and never throws for user input.</summary>
    public abstract int Ioctl(SimulatedProcess caller, uint command, ulong argument);

    /// <summary>read(2) into <paramref name="buffer"/> of the caller: bytes read, or -errno (EINVAL without a read operation).</summary>
    public virtual long Read(SimulatedProcess caller, ulong buffer, ulong count) => Errno.EINVAL.ToSyscallResult();

    /// <summary>write(2) from <paramref name="buffer"/> of the caller: bytes written, or -errno (EINVAL without a write operation).</summary>
    public virtual long Write(SimulatedProcess caller, ulong buffer, ulong count) => Errno.EINVAL.ToSyscallResult();

    /// <summary>poll(2): the events ready now (DEFAULT_POLLMASK without a poll operation).</summary>
    public virtual PollEvents Poll() => PollEvents.Default;

    /// <summary>
    /// mmap of [<paramref name="offset"/>, + <paramref name="length"/>) of the file: what the mapping shows and
    /// from which page. ENODEV without an mmap operation.
    /// </summary>
    public virtual Errno Mmap(ulong length, MemoryProtection protection, bool shared, ulong offset, out IVmaBacking? backing, out ulong firstPage)
    {
        backing = null;
        firstPage = 0;
        return Errno.ENODEV;
    }

    protected abstract void Release();
}
