using IommuContracts.Contracts;
using IommuContracts.Engine.Kapi;

namespace BrokenDriver;

/// <summary>Locks taken against the documented order, and a detach under the IOAS lock (K11, K12).</summary>
public sealed class LockOrder
{
    [LockLevel("ioas", 1)]
    private readonly object _ioas = new();

    [LockLevel("iopt", 3)]
    private readonly object _iopt = new();

    public void Inverted()
    {
        lock (_iopt)
        {
            lock (_ioas) // IOMMU0011
            {
                Console.WriteLine("both");
            }
        }
    }

    public void DetachUnderIoasLock(IommufdDevice idev)
    {
        lock (_ioas)
        {
            Iommufd.DeviceDetach(idev); // IOMMU0012
        }
    }
}
