using IommuContracts.Engine.Profiles;
using IommuContracts.Engine.Tests.Support.Replay;

namespace IommuContracts.Replay;

/// <summary>Placeholder until the VT-d device tour exists.</summary>
internal static class VtdTour
{
    public static IEnumerable<Comparison> Compare(KernelProfile engine, ReplaySide other) => [];
}
