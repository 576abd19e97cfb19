namespace IommuContracts.Uapi;

/// <summary>The ioctl magic numbers used by the uapi model.</summary>
public static class IoctlTypes
{
    /// <summary>IOMMUFD_TYPE and VFIO_TYPE are both ';'.</summary>
    public const byte Iommufd = (byte)';';

    /// <summary>VFIO_TYPE (the same ';').</summary>
    public const byte Vfio = (byte)';';

    /// <summary>VFIO numbers count from VFIO_BASE.</summary>
    public const byte VfioBase = 100;
}
