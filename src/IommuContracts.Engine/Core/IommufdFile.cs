using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.Core;

/// <summary>The struct file of an open /dev/iommu; releasing it releases the context.</summary>
internal sealed class IommufdFile : OpenFile
{
    public IommufdFile(SimulatedProcess owner)
    {
        Context = new IommufdContext(owner);
        Context.File = this;
    }

    public IommufdContext Context { get; }

    public override string Name => "/dev/iommu";

    public override int Ioctl(SimulatedProcess caller, uint command, ulong argument) => Context.Dispatch(caller, command, argument);

    public override Errno Mmap(ulong length, MemoryProtection protection, bool shared, ulong offset, out IVmaBacking? backing, out ulong firstPage)
        => Context.Mmap(length, protection, shared, offset, out backing, out firstPage);

    protected override void Release() => Context.Release();
}
