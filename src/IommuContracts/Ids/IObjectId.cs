namespace IommuContracts;

/// <summary>Implemented by every generated typed ID.</summary>
public interface IObjectId
{
    /// <summary>The raw 32-bit ID; 0 means none.</summary>
    uint RawValue { get; }

    /// <summary>The same ID without its kind.</summary>
    /// <returns>An untyped ID with the same raw value.</returns>
    ObjectId AsObjectId();
}
