// Shape: a device wrapper opens the real cdev into its field and offers a DMA self-test; nothing in the type ever binds it
// From: a VMM device class whose bind moved to another component that was never wired up
// Label: BUG
// Runtime: errno EINVAL
using IommuContracts.Linux;

public sealed class NvmeController : IDisposable
{
    private LinuxVfioDeviceFile? _device;

    public Errno Open(string cdevPath) => LinuxVfioDeviceFile.Open(cdevPath, out _device);

    public Errno SelfTest(ulong scratchVa)
    {
        if (_device is null)
        {
            return Errno.ENODEV;
        }

        return _device.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Read, 0x1000, scratchVa, 64); //~ IOMMU0101
    }

    public void Dispose() => _device?.Dispose();
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        using var nvme = new NvmeController();
        var rc = nvme.Open(lab.VfioNode().Path);
        return rc != Errno.None ? rc : nvme.SelfTest(lab.Process.Mmap(0x1000));
    }
}
