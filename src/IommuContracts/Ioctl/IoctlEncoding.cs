namespace IommuContracts.Ioctl;

/// <summary>
/// The <c>_IO(type, nr)</c> request encoding iommufd and VFIO use: no direction and no size bits, the payload
/// size travels in the struct's first u32 instead. Values are those of x86, arm64 and riscv.
/// </summary>
public static class IoctlEncoding
{
    public const byte IommufdType = (byte)';';

    public static uint Io(byte type, byte number) => (uint)(type << 8 | number);

    public static byte TypeOf(uint command) => (byte)(command >> 8);

    public static byte NumberOf(uint command) => (byte)command;
}
