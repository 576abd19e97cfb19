using System.Runtime.InteropServices;

namespace IommuContracts;

/// <summary>
/// An iommufd object ID of any kind (what IOMMU_DESTROY and the polymorphic <c>pt_id</c> fields take).
/// 0 is never a valid ID. Every typed ID converts to it implicitly.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct ObjectId : IEquatable<ObjectId>
{
    /// <summary>The raw 32-bit ID as iommufd returns it; 0 means none.</summary>
    public readonly uint Value;

    /// <summary>Wraps a raw ID of any object kind.</summary>
    /// <param name="value">The raw 32-bit ID; 0 gives the invalid <see cref="None"/>.</param>
    public ObjectId(uint value) => Value = value;

    /// <summary>The invalid ID 0.</summary>
    public static ObjectId None => default;

    /// <summary>False for 0, which iommufd never hands out.</summary>
    public bool IsValid => Value != 0;

    /// <summary>True when both IDs have the same raw value.</summary>
    /// <param name="left">The first ID.</param>
    /// <param name="right">The second ID.</param>
    /// <returns>Whether the raw values are equal.</returns>
    public static bool operator ==(ObjectId left, ObjectId right) => left.Value == right.Value;

    /// <summary>True when the IDs have different raw values.</summary>
    /// <param name="left">The first ID.</param>
    /// <param name="right">The second ID.</param>
    /// <returns>Whether the raw values differ.</returns>
    public static bool operator !=(ObjectId left, ObjectId right) => left.Value != right.Value;

    /// <inheritdoc/>
    public bool Equals(ObjectId other) => Value == other.Value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ObjectId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)Value;

    /// <summary>The raw value, e.g. <c>ObjectId(3)</c>.</summary>
    /// <returns>The ID for logs and messages.</returns>
    public override string ToString() => $"ObjectId({Value})";
}
