namespace IommuContracts.Ioctl;

/// <summary>A declared ioctl command; implemented by the generator on every <c>[IoctlCommand]</c> struct.</summary>
public interface IIoctlCommand
{
    /// <summary>The command's number, sizes and marshalling rules.</summary>
    static abstract IoctlLayout Layout { get; }
}
