using IommuContracts.Engine.Core;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>Read-only views of engine state that user space cannot see through the uAPI (kAPI tests).</summary>
internal static class KapiInspection
{
    /// <summary>The context's per-group states (iommufd_group) of its bound devices.</summary>
    internal static IEnumerable<IommufdGroup> Groups(this IommufdContext context)
        => context.Objects.Snapshot().OfType<Device>().Select(d => d.Group).Distinct();
}
