// Shape: the downgrade taken from a configuration object (a non-constant value that may be true)
// From: VMM command-line options mapped onto the module parameter
// Label: BUG
// Runtime: log allow_unsafe_interrupts

public sealed record HostConfig(bool AllowUnsafeInterrupts);

[DriverManagedDma]
public sealed class ConfiguredHost
{
    public Errno Apply(SimulatedKernel kernel, HostConfig config, IommufdCtx ictx, PciDevice card)
    {
        kernel.AllowUnsafeInterrupts = config.AllowUnsafeInterrupts; //~ IOMMU0010
        var rc = Iommufd.DeviceBind(ictx, card, out var idev, out _);
        if (rc == Errno.None)
        {
            Iommufd.DeviceUnbind(idev!);
        }

        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new ConfiguredHost().Apply(lab.Kernel, new HostConfig(true), lab.Ctx, lab.Device(msiIsolation: false));
}
