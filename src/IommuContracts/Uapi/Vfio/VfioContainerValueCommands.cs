using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

// The VFIO container ioctls whose argument is an integer, not a struct pointer.

/// <summary>VFIO_GET_API_VERSION: returns <see cref="VfioConstants.ApiVersion"/>.</summary>
[IoctlCommand(IoctlTypes.Vfio, IoctlTypes.VfioBase + 0, Name = "VFIO_GET_API_VERSION", StubName = "VfioGetApiVersion",
    Convention = IoctlConvention.Vfio, Argument = IoctlArgumentKind.Value)]
public readonly partial struct VfioGetApiVersion;

/// <summary>VFIO_CHECK_EXTENSION(extension): returns 1 if supported, 0 if not.</summary>
[IoctlCommand(IoctlTypes.Vfio, IoctlTypes.VfioBase + 1, Name = "VFIO_CHECK_EXTENSION", StubName = "VfioCheckExtension",
    Convention = IoctlConvention.Vfio, Argument = IoctlArgumentKind.Value)]
public readonly partial struct VfioCheckExtension;

/// <summary>VFIO_SET_IOMMU(type): select the IOMMU model (TYPE1 or TYPE1v2) of the container.</summary>
[IoctlCommand(IoctlTypes.Vfio, IoctlTypes.VfioBase + 2, Name = "VFIO_SET_IOMMU", StubName = "VfioSetIommu",
    Convention = IoctlConvention.Vfio, Argument = IoctlArgumentKind.Value)]
public readonly partial struct VfioSetIommu;
