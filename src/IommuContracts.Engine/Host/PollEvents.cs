namespace IommuContracts.Engine.Host;

/// <summary>The poll(2) event bits a file reports as ready (Linux values).</summary>
[Flags]
public enum PollEvents : short
{
    /// <summary>Nothing is ready.</summary>
    None = 0,

    /// <summary>POLLIN: there is data to read.</summary>
    In = 0x1,

    /// <summary>POLLOUT: writing will not block.</summary>
    Out = 0x4,

    /// <summary>POLLERR.</summary>
    Err = 0x8,

    /// <summary>POLLHUP.</summary>
    Hup = 0x10,

    /// <summary>POLLNVAL: the fd is not open.</summary>
    Nval = 0x20,

    /// <summary>POLLRDNORM: normal data to read.</summary>
    RdNorm = 0x40,

    /// <summary>POLLWRNORM: normal data may be written.</summary>
    WrNorm = 0x100,

    /// <summary>DEFAULT_POLLMASK: what a file without a poll operation reports.</summary>
    Default = In | Out | RdNorm | WrNorm,
}
