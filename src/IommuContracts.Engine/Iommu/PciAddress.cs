namespace IommuContracts.Engine.Iommu;

/// <summary>A PCI function address (domain:bus:device.function); its requester ID is what the IOMMU sees.</summary>
public readonly record struct PciAddress(ushort Segment, byte Bus, byte Device, byte Function)
{
    /// <summary>The 16-bit requester ID: bus, device, function.</summary>
    public ushort RequesterId => (ushort)(Bus << 8 | Device << 3 | Function);

    /// <summary>The address as lspci prints it, <c>dddd:bb:dd.f</c> in hexadecimal.</summary>
    /// <returns>The formatted address.</returns>
    public override string ToString() => $"{Segment:x4}:{Bus:x2}:{Device:x2}.{Function:x}";
}
