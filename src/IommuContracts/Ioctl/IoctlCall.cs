namespace IommuContracts.Ioctl;

/// <summary>
/// One ioctl in flight, as a handler sees it: the caller's memory, the argument address and size, and
/// whether the response was already written (creating ioctls respond before they publish the new object,
/// so a fault on the copy-back can still abort it).
/// </summary>
public ref struct IoctlCall
{
    private uint _userSize;

    /// <summary>A call whose leading size has not been read yet.</summary>
    public IoctlCall(IUserMemory memory, uint command, ulong address)
    {
        Memory = memory;
        Command = command;
        Address = address;
    }

    /// <summary>A call whose leading size the dispatcher already read (the iommufd table does, before its slot check).</summary>
    public IoctlCall(IUserMemory memory, uint command, ulong address, uint userSize)
        : this(memory, command, address)
    {
        UserSize = userSize;
    }

    /// <summary>The calling process's memory, which the argument address refers to.</summary>
    public IUserMemory Memory { get; }

    /// <summary>The request value the caller passed.</summary>
    public uint Command { get; }

    /// <summary>The user virtual address of the argument struct.</summary>
    public ulong Address { get; }

    /// <summary>The size (or argsz) user space passed; valid once <see cref="HasUserSize"/>.</summary>
    public uint UserSize
    {
        readonly get => _userSize;
        internal set
        {
            _userSize = value;
            HasUserSize = true;
        }
    }

    /// <summary>True once <see cref="UserSize"/> has been read from the argument.</summary>
    public bool HasUserSize { get; private set; }

    /// <summary>True once <see cref="Respond{T}(in T)"/> has copied the response; the dispatcher then copies nothing more.</summary>
    public bool HasResponded { get; private set; }

    /// <summary>What the ioctl returns on success (a new file descriptor, for example); 0 unless the handler sets it.</summary>
    public int ReturnValue { readonly get; set; }

    /// <summary>Copies the response to user memory now (EFAULT if it cannot); the dispatcher will not copy again.</summary>
    public Errno Respond<T>(in T value)
        where T : unmanaged, IIoctlStruct<T>
    {
        HasResponded = true;
        return IoctlArguments.WriteResponse(Memory, Address, UserSize, in value);
    }
}
