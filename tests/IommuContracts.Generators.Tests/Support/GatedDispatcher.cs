using IommuContracts;
using IommuContracts.Contracts;
using IommuContracts.Uapi;

namespace IommuContracts.Generators.Tests.Support;

/// <summary>A VFIO-device-like dispatcher: its gate refuses everything but BIND until bound (EINVAL, as vfio_main does).</summary>
[IoctlDispatcher]
public sealed partial class GatedDispatcher
{
    public bool Bound { get; private set; }

    [IoctlGate]
    private Errno Gate(uint command) => Bound || command == VfioDeviceBindIommufd.Command ? Errno.None : Errno.EINVAL;

    [IoctlHandler(typeof(VfioDeviceBindIommufd))]
    private Errno Bind(ref VfioDeviceBindIommufd bind)
    {
        Bound = true;
        bind.OutDevId = new DeviceId(7);
        return Errno.None;
    }

    [IoctlHandler(typeof(VfioDeviceDetachIommufdPt))]
    private static Errno Detach(ref VfioDeviceDetachIommufdPt detach) => Errno.None;
}
