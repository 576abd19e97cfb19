namespace IommuContracts;

/// <summary>Implemented by every generated typed ID.</summary>
public interface IObjectId
{
    uint RawValue { get; }

    ObjectId AsObjectId();
}
