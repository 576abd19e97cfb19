using IommuContracts.Contracts;
using IommuContracts.Engine.Core;
using IommuContracts.Engine.Iommu;

namespace IommuContracts.Engine.Kapi;

/// <summary>
/// A bound device (struct iommufd_device *): owned by the driver that bound it, valid until it unbinds.
/// States: bound → attached → bound → unbound.
/// </summary>
[Typestate("Bound", "Attached", UseAfterReleaseRule = RuleIds.UseAfterUnbind)]
public sealed class IommufdDevice
{
    private int _inFlight;
    private int _unbound;

    internal IommufdDevice(Device idev) => Idev = idev;

    internal Device Idev { get; }

    /// <summary>The device's ID in the context (what VFIO returns to user space as out_devid).</summary>
    public DeviceId Id => Idev.Id;

    /// <summary>The PCI device this binding owns.</summary>
    public PciDevice Device => Idev.Dev;

    /// <summary>True once the device was unbound; any later use of this handle is a contract violation.</summary>
    public bool IsUnbound => Volatile.Read(ref _unbound) != 0;

    /// <summary>Attached to a HWPT (state query the analyzers understand: <c>if (idev.IsAttached) Detach</c>).</summary>
    [StateQuery("Attached")]
    public bool IsAttached => !IsUnbound && Idev.AttachedHwpt is not null;

    /// <summary>The PASIDs this device has attached, in order (not the RID, which <see cref="IsAttached"/> tells).</summary>
    public IReadOnlyList<uint> AttachedPasids => IsUnbound ? Array.Empty<uint>() : Idev.AttachedPasids;

    /// <summary>
    /// Whether <paramref name="pasid"/> of this device is attached (PASID 0 is the RID: <see cref="IsAttached"/>); a
    /// state query the analyzers understand: <c>if (idev.IsPasidAttached(pasid)) DeviceDetach(idev, pasid)</c>.
    /// </summary>
    [StateQuery("Attached", Key = "pasid")]
    public bool IsPasidAttached([StateKey(SelfValue = AttachHandle.NoPasid)] uint pasid) => !IsUnbound && Idev.PasidHwpt(pasid) is not null;

    /// <summary>The HWPT <paramref name="pasid"/> of the device is attached to, if any.</summary>
    public HwptId? PasidHwpt(uint pasid) => IsUnbound ? null : Idev.PasidHwpt(pasid) is { } hwpt ? new HwptId(hwpt.RawId) : null;

    /// <summary>The HWPT the device is attached to, if any.</summary>
    public HwptId? AttachedHwpt => IsUnbound ? null : Idev.AttachedHwpt is { } hwpt ? new HwptId(hwpt.RawId) : null;

    /// <summary>Marks a kAPI call on this idev; unbind refuses to run concurrently with one.</summary>
    internal Scope Enter(string operation)
    {
        if (IsUnbound)
        {
            throw new ContractViolationException(RuleIds.UseAfterUnbind,
                $"{operation} on {Device.Address} after iommufd_device_unbind; the idev is gone, bind again to get a new one");
        }

        Interlocked.Increment(ref _inFlight);
        return new Scope(this);
    }

    internal void MarkUnbound()
    {
        if (Interlocked.Exchange(ref _unbound, 1) != 0)
        {
            throw new ContractViolationException(RuleIds.UseAfterUnbind, $"{Device.Address} unbound twice; unbind exactly once per successful bind");
        }

        if (Volatile.Read(ref _inFlight) != 0)
        {
            throw new ContractViolationException(RuleIds.UseAfterUnbind,
                $"{Device.Address} unbound while another call on the same idev is running; serialise unbind with every other use of the idev");
        }
    }

    /// <summary>The binding for logs, <c>idev dddd:bb:dd.f</c>.</summary>
    /// <returns>The binding's name.</returns>
    public override string ToString() => $"idev {Device.Address}";

    internal readonly struct Scope : IDisposable
    {
        private readonly IommufdDevice _device;

        public Scope(IommufdDevice device) => _device = device;

        public void Dispose() => Interlocked.Decrement(ref _device._inFlight);
    }
}
