using IommuContracts.Engine.Host;

namespace BrokenDriver;

/// <summary>A host that lets devices without MSI isolation in, with no reason given (K22).</summary>
public static class UnsafeHost
{
    public static SimulatedKernel Create()
    {
        var kernel = new SimulatedKernel();
        kernel.AllowUnsafeInterrupts = true; // IOMMU0010
        return kernel;
    }
}
