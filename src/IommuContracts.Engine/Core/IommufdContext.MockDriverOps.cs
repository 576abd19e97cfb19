using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// The IOMMU_TEST_CMD ops served by the mock driver (devices, domains, accesses).
internal sealed partial class IommufdContext
{
    private Errno MockDriverTestCmd(ref IommuTestCmd cmd, ref IoctlCall call) => Drivers.MockDriver.Handle(this, ref cmd, ref call);
}
