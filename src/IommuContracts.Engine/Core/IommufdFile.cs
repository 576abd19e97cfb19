using IommuContracts.Engine.Host;
using IommuContracts.Ioctl;

namespace IommuContracts.Engine.Core;

/// <summary>The struct file of an open /dev/iommu; releasing it releases the context.</summary>
internal sealed class IommufdFile : OpenFile
{
    // IOMMUFD_CMD_BASE and the last slot of a CONFIG_IOMMUFD_TEST kernel's table (IOMMU_TEST_CMD).
    private const byte FirstSlot = 0x80;
    private const byte LastSlot = 0xA0;

    public IommufdFile(SimulatedProcess owner)
    {
        Context = new IommufdContext(owner);
        Context.File = this;
    }

    public IommufdContext Context { get; }

    public override string Name => "/dev/iommu";

    public override int Ioctl(SimulatedProcess caller, uint command, ulong argument)
    {
        // A command the profile's kernel does not have yet is a hole in its table: iommufd_fops_ioctl reads the
        // size first, then finds no entry for _IOC_NR (whatever the rest of the number) (ENOIOCTLCMD, which the VFS answers as ENOTTY).
        var number = (byte)command;
        if (number is >= FirstSlot and <= LastSlot && !Context.Kernel.Profile.HasCommandSlot(number))
        {
            var read = IoctlArguments.ReadLeadingSize(caller, argument, out _);
            return (read != Errno.None ? read : Errno.ENOTTY).ToSyscallResult();
        }

        return Context.Dispatch(caller, command, argument);
    }

    protected override void Release() => Context.Release();
}
