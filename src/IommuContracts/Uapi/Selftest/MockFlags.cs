namespace IommuContracts.Uapi;

/// <summary>MOCK_FLAGS_DEVICE_*: flags of MOCK_DOMAIN_FLAGS.</summary>
[Flags]
public enum MockDeviceFlags : uint
{
    None = 0,
    NoDirty = 1 << 0,
    HugeIova = 1 << 1,
    Pasid = 1 << 2,
}

/// <summary>MOCK_FLAGS_ACCESS_CREATE_*: flags of CREATE_ACCESS.</summary>
[Flags]
public enum MockAccessCreateFlags : uint
{
    None = 0,
    NeedsPinPages = 1 << 0,
}

/// <summary>MOCK_FLAGS_ACCESS_*: flags of ACCESS_PAGES.</summary>
[Flags]
public enum MockAccessFlags : uint
{
    None = 0,
    Write = 1 << 0,
    Syz = 1 << 16,
}

/// <summary>MOCK_ACCESS_RW_*: flags of ACCESS_RW.</summary>
[Flags]
public enum MockAccessRwFlags : uint
{
    None = 0,
    Write = 1 << 0,
    SlowPath = 1 << 2,
}
