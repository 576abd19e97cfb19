namespace IommuContracts.Ioctl;

/// <summary>
/// The <c>_IO(type, nr)</c> request encoding iommufd and VFIO use: no direction and no size bits, the payload
/// size travels in the struct's first u32 instead. Values are those of x86, arm64 and riscv.
/// </summary>
public static class IoctlEncoding
{
    /// <summary>The ioctl magic of iommufd and the VFIO cdev commands, <c>';'</c> (0x3B).</summary>
    public const byte IommufdType = (byte)';';

    /// <summary>Encodes <c>_IO(type, number)</c>.</summary>
    /// <param name="type">The ioctl magic.</param>
    /// <param name="number">The command number within the magic.</param>
    /// <returns>The request value passed to ioctl(2).</returns>
    public static uint Io(byte type, byte number) => (uint)(type << 8 | number);

    /// <summary>The magic of an <c>_IO</c> request.</summary>
    /// <param name="command">The request value.</param>
    /// <returns>Bits 8-15 of the request.</returns>
    public static byte TypeOf(uint command) => (byte)(command >> 8);

    /// <summary>The number of an <c>_IO</c> request within its magic.</summary>
    /// <param name="command">The request value.</param>
    /// <returns>Bits 0-7 of the request.</returns>
    public static byte NumberOf(uint command) => (byte)command;
}
