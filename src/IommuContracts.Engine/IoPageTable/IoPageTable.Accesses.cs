namespace IommuContracts.Engine.IoPageTable;

// In-kernel accesses attached to this IOAS.
internal sealed partial class IoPageTable
{
    /// <summary>iopt_add_access: the access's alignment joins the IOAS's (EADDRINUSE if existing areas do not meet it).</summary>
    public Errno AddAccess(IIoptAccess access)
    {
        lock (Lock)
        {
            _accesses.Add(access);
            var result = RecalculateAlignment();
            if (result != Errno.None)
            {
                _accesses.Remove(access);
            }

            return result;
        }
    }

    public void RemoveAccess(IIoptAccess access)
    {
        lock (Lock)
        {
            if (_accesses.Remove(access) && RecalculateAlignment() != Errno.None)
            {
                Kernel.Log.Warn("iopt_remove_access: alignment could not be recalculated");
            }
        }
    }

    private IIoptAccess[] AccessesSnapshot()
    {
        lock (Lock)
        {
            return _accesses.ToArray();
        }
    }
}
