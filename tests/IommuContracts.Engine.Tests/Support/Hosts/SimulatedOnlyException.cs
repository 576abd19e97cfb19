namespace IommuContracts.Engine.Tests.Support.Hosts;

/// <summary>
/// Thrown on the real kernel by a scenario that needs a facility only the simulation has (engine inspection,
/// the kernel log, pin counts of a page, ...): the replay reports the scenario as skipped with <see cref="Facility"/>.
/// </summary>
public sealed class SimulatedOnlyException : Exception
{
    /// <summary>Creates the exception for <paramref name="facility"/>.</summary>
    public SimulatedOnlyException(string facility)
        : base($"needs a simulated-only facility: {facility}")
        => Facility = facility;

    /// <summary>What the scenario needed.</summary>
    public string Facility { get; }
}
