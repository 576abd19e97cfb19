namespace IommuContracts.Engine.Tests.Support.Hosts;

/// <summary>
/// Where fixtures get their process: a fresh simulated root process on the newest kernel, unless a runner (the
/// replay program) installs another factory for the scenarios it runs on this async flow.
/// </summary>
public static class ProcessHosts
{
    private static readonly AsyncLocal<Func<IProcessHost>?> s_factory = new();

    /// <summary>The factory fixtures use on this async flow; null means the default simulated host.</summary>
    public static Func<IProcessHost>? Factory
    {
        get => s_factory.Value;
        set => s_factory.Value = value;
    }

    /// <summary>A new host from the installed factory, or a simulated root process on the newest kernel.</summary>
    public static IProcessHost Create() => Factory?.Invoke() ?? SimulatedProcessHost.Root();
}
