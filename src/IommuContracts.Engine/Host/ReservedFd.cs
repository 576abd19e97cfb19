namespace IommuContracts.Engine.Host;

/// <summary>Placeholder of an fd number taken by get_unused_fd but not yet installed.</summary>
internal sealed class ReservedFd : OpenFile
{
    public static readonly ReservedFd Instance = new();

    private ReservedFd()
    {
    }

    public override string Name => "(reserved fd)";

    public override int Ioctl(SimulatedProcess caller, uint command, ulong argument) => Errno.EBADF.ToSyscallResult();

    protected override void Release()
    {
    }
}
