namespace IommuContracts.Engine.Core;

/// <summary>
/// iommufd_attach for one PASID of a group: the HWPT the PASID is attached to, the devices of the group that
/// attached it (the first one made the attachment), and the attach handle faults come through.
/// </summary>
internal sealed class PasidAttachment
{
    private readonly List<Device> _devices = new();

    public PasidAttachment(uint pasid, HwPageTable hwpt, AttachHandle handle)
    {
        Pasid = pasid;
        Hwpt = hwpt;
        Handle = handle;
    }

    public uint Pasid { get; }

    public HwPageTable Hwpt { get; set; }

    public AttachHandle Handle { get; set; }

    public IReadOnlyList<Device> Devices => _devices;

    public bool Contains(Device device) => _devices.Contains(device);

    public void Add(Device device) => _devices.Add(device);

    public void Remove(Device device) => _devices.Remove(device);

    public override string ToString() => $"pasid {Pasid} -> {Hwpt} ({_devices.Count} devices)";
}
