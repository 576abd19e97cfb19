using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.IoPageTable;

/// <summary>
/// IOPT_ADDRESS_FILE: pages of a file from a page-aligned offset, holding a reference on the file. Only
/// memfds can be pinned (memfd_pin_folios refuses other files with EINVAL); pages past the end are EINVAL.
/// </summary>
internal sealed class FileSource : IPageSource
{
    private readonly OpenFile _file;
    private int _released;

    public FileSource(OpenFile file, ulong offset)
    {
        file.Get();
        _file = file;
        Base = offset;
    }

    public bool IsFile => true;

    public ulong Base { get; }

    public Errno GetPages(ulong index, int count, bool write, Span<UserPage> pages)
        => _file is MemfdFile memfd
            ? memfd.GetPagesForPin((Base / SimulatedProcess.PageSize) + index, count, pages)
            : Errno.EINVAL;

    public Errno Copy(ulong byteIndex, Span<byte> data, bool write)
    {
        var done = 0;
        while (done < data.Length)
        {
            var position = Base + byteIndex + (ulong)done;
            var inPage = (int)(position % SimulatedProcess.PageSize);
            var count = Math.Min((int)SimulatedProcess.PageSize - inPage, data.Length - done);
            if (_file is not MemfdFile memfd || memfd.PageAt(position / SimulatedProcess.PageSize, create: true) is not { } page)
            {
                return Errno.EFAULT;
            }

            if (write)
            {
                page.Write(inPage, data.Slice(done, count));
            }
            else
            {
                page.Read(inPage, data.Slice(done, count));
            }

            done += count;
        }

        return Errno.None;
    }

    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _file.Put();
        }
    }
}
