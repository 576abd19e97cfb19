using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// The IOMMU_TEST_CMD ops served by the mock driver (devices, domains, accesses).
internal sealed partial class IommufdContext
{
    private static Errno MockDriverTestCmd(ref IommuTestCmd cmd, ref IoctlCall call) => Errno.EOPNOTSUPP;
}
