// Shape: a VMM device object binds in Connect(); its SelfTest() may run before Connect (the hot-plug path calls it first)
// From: VMM device objects whose methods are called in an order the type does not enforce
// Label: BUG
// Runtime: errno EINVAL
using IommuContracts.Linux;

public sealed class HotplugDevice : IDisposable
{
    private readonly LinuxIommufdFile _iommufd;
    private LinuxVfioDeviceFile? _device;

    public HotplugDevice(LinuxIommufdFile iommufd) => _iommufd = iommufd;

    public Errno Open(string cdevPath) => LinuxVfioDeviceFile.Open(cdevPath, out _device);

    public Errno Connect() => _device!.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, _iommufd.Fd, 0, out _);

    public Errno SelfTest(ulong scratchVa) => _device!.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Read, 0x1000, scratchVa, 64); //~ IOMMU0151

    public void Dispose() => _device?.Dispose();
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = LinuxIommufdFile.Open(out var iommufd);
        if (rc != Errno.None) return rc;
        using (iommufd)
        using (var device = new HotplugDevice(iommufd!))
        {
            rc = device.Open(lab.VfioNode().Path);
            return rc != Errno.None ? rc : device.SelfTest(lab.Process.Mmap(0x1000));
        }
    }
}
