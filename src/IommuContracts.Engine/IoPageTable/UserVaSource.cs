using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.IoPageTable;

/// <summary>IOPT_ADDRESS_USER: pages of a process's virtual memory from a page-aligned address.</summary>
internal sealed class UserVaSource : IPageSource
{
    private readonly SimulatedProcess _process;

    public UserVaSource(SimulatedProcess process, ulong userVa)
    {
        _process = process;
        Base = userVa;
    }

    public bool IsFile => false;

    public ulong Base { get; }

    public Errno GetPages(ulong index, int count, bool write, Span<UserPage> pages)
        => _process.GetUserPages(Base + (index * SimulatedProcess.PageSize), count, write, pages);

    public Errno Copy(ulong byteIndex, Span<byte> data, bool write)
        => write ? _process.Write(Base + byteIndex, data) : _process.Read(Base + byteIndex, data);

    public void Release()
    {
    }
}
