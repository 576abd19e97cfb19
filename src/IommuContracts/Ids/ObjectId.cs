using System.Runtime.InteropServices;

namespace IommuContracts;

/// <summary>
/// An iommufd object ID of any kind (what IOMMU_DESTROY and the polymorphic <c>pt_id</c> fields take).
/// 0 is never a valid ID. Every typed ID converts to it implicitly.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct ObjectId : IEquatable<ObjectId>
{
    public readonly uint Value;

    public ObjectId(uint value) => Value = value;

    public static ObjectId None => default;

    public bool IsValid => Value != 0;

    public static bool operator ==(ObjectId left, ObjectId right) => left.Value == right.Value;

    public static bool operator !=(ObjectId left, ObjectId right) => left.Value != right.Value;

    public bool Equals(ObjectId other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is ObjectId other && Equals(other);

    public override int GetHashCode() => (int)Value;

    public override string ToString() => $"ObjectId({Value})";
}
