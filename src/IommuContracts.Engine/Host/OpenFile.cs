namespace IommuContracts.Engine.Host;

/// <summary>
/// A struct file: reference counted, released when the last reference goes (fds hold one each, in-kernel
/// users such as bound devices take more, as iommufd_ctx_get does with get_file).
/// </summary>
internal abstract class OpenFile
{
    private int _references = 1;

    public abstract string Name { get; }

    public bool IsReleased => Volatile.Read(ref _references) == 0;

    public void Get()
    {
        if (Interlocked.Increment(ref _references) <= 1)
        {
            throw new InvalidOperationException($"{Name}: reference taken on a released file");
        }
    }

    public void Put()
    {
        var left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            Release();
        }
        else if (left < 0)
        {
            throw new InvalidOperationException($"{Name}: released twice");
        }
    }

    /// <summary>Runs one ioctl issued by <paramref name="caller"/>; returns ≥ 0 or -errno and never throws for user input.</summary>
    public abstract int Ioctl(SimulatedProcess caller, uint command, ulong argument);

    protected abstract void Release();
}
