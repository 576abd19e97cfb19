using IommuContracts;
using IommuContracts.Contracts;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Generators.Tests.Support;

/// <summary>
/// A dispatcher with a handler for every command of the uapi model. Each handler records what it received,
/// may rewrite the struct (to test what is copied back) and returns a chosen errno.
/// </summary>
[IoctlDispatcher]
public sealed partial class RecordingDispatcher
{
    public int Calls { get; private set; }

    public uint LastCommand { get; private set; }

    public byte[]? LastArgument { get; private set; }

    public uint LastUserSize { get; private set; }

    /// <summary>What the next handler returns.</summary>
    public Errno Result { get; set; }

    /// <summary>Rewrites the struct bytes before returning (null: leave them).</summary>
    public Func<byte[], byte[]>? Rewrite { get; set; }

    /// <summary>When set, the IOVA_RANGES handler responds itself and then fails with this errno (the EMSGSIZE pattern).</summary>
    public Errno? RespondThenFail { get; set; }

    /// <summary>What the TEST_CMD handler sets as the ioctl's return value (the DMABUF_GET pattern: a new fd).</summary>
    public int StructReturnValue { get; set; }

    /// <summary>What value commands return.</summary>
    public int ValueResult { get; set; }

    public ulong LastValue { get; private set; }

    [IoctlHandler(typeof(IommuDestroy))] private Errno Destroy(ref IommuDestroy a) => Handle(ref a);
    [IoctlHandler(typeof(IommuIoasAlloc))] private Errno IoasAlloc(ref IommuIoasAlloc a) => Handle(ref a);
    [IoctlHandler(typeof(IommuIoasAllowIovas))] private Errno AllowIovas(ref IommuIoasAllowIovas a) => Handle(ref a);
    [IoctlHandler(typeof(IommuIoasCopy))] private Errno Copy(ref IommuIoasCopy a) => Handle(ref a);
    [IoctlHandler(typeof(IommuIoasMap))] private Errno Map(ref IommuIoasMap a) => Handle(ref a);
    [IoctlHandler(typeof(IommuIoasUnmap))] private Errno Unmap(ref IommuIoasUnmap a) => Handle(ref a);
    [IoctlHandler(typeof(IommuOption))] private Errno Option(ref IommuOption a) => Handle(ref a);
    [IoctlHandler(typeof(IommuVfioIoas))] private Errno VfioIoas(ref IommuVfioIoas a) => Handle(ref a);
    [IoctlHandler(typeof(IommuHwptAlloc))] private Errno HwptAlloc(ref IommuHwptAlloc a) => Handle(ref a);
    [IoctlHandler(typeof(IommuHwInfo))] private Errno HwInfo(ref IommuHwInfo a) => Handle(ref a);
    [IoctlHandler(typeof(IommuHwptSetDirtyTracking))] private Errno SetDirty(ref IommuHwptSetDirtyTracking a) => Handle(ref a);
    [IoctlHandler(typeof(IommuHwptGetDirtyBitmap))] private Errno GetDirty(ref IommuHwptGetDirtyBitmap a) => Handle(ref a);
    [IoctlHandler(typeof(IommuHwptInvalidate))] private Errno Invalidate(ref IommuHwptInvalidate a) => Handle(ref a);
    [IoctlHandler(typeof(IommuFaultAlloc))] private Errno FaultAlloc(ref IommuFaultAlloc a) => Handle(ref a);
    [IoctlHandler(typeof(IommuIoasMapFile))] private Errno MapFile(ref IommuIoasMapFile a) => Handle(ref a);
    [IoctlHandler(typeof(IommuViommuAlloc))] private Errno ViommuAlloc(ref IommuViommuAlloc a) => Handle(ref a);
    [IoctlHandler(typeof(IommuVdeviceAlloc))] private Errno VdeviceAlloc(ref IommuVdeviceAlloc a) => Handle(ref a);
    [IoctlHandler(typeof(IommuIoasChangeProcess))] private Errno ChangeProcess(ref IommuIoasChangeProcess a) => Handle(ref a);
    [IoctlHandler(typeof(IommuVeventqAlloc))] private Errno VeventqAlloc(ref IommuVeventqAlloc a) => Handle(ref a);
    [IoctlHandler(typeof(IommuHwQueueAlloc))] private Errno HwQueueAlloc(ref IommuHwQueueAlloc a) => Handle(ref a);

    [IoctlHandler(typeof(IommuTestCmd))]
    private Errno TestCmd(ref IommuTestCmd a, ref IoctlCall call)
    {
        call.ReturnValue = StructReturnValue;
        return Handle(ref a);
    }

    [IoctlHandler(typeof(IommuIoasIovaRanges))]
    private Errno IovaRanges(ref IommuIoasIovaRanges a, ref IoctlCall call)
    {
        var result = Handle(ref a);
        if (RespondThenFail is { } failure)
        {
            var responded = call.Respond(in a);
            return responded != Errno.None ? responded : failure;
        }

        return result;
    }

    [IoctlHandler(typeof(VfioDeviceBindIommufd))] private Errno Bind(ref VfioDeviceBindIommufd a) => Handle(ref a);
    [IoctlHandler(typeof(VfioDeviceAttachIommufdPt))] private Errno Attach(ref VfioDeviceAttachIommufdPt a) => Handle(ref a);
    [IoctlHandler(typeof(VfioDeviceDetachIommufdPt))] private Errno Detach(ref VfioDeviceDetachIommufdPt a) => Handle(ref a);
    [IoctlHandler(typeof(VfioDeviceSimDma))] private Errno SimDma(ref VfioDeviceSimDma a) => Handle(ref a);
    [IoctlHandler(typeof(VfioIommuType1Info))] private Errno GetInfo(ref VfioIommuType1Info a) => Handle(ref a);
    [IoctlHandler(typeof(VfioIommuType1DmaMap))] private Errno MapDma(ref VfioIommuType1DmaMap a) => Handle(ref a);
    [IoctlHandler(typeof(VfioIommuType1DmaUnmap))] private Errno UnmapDma(ref VfioIommuType1DmaUnmap a) => Handle(ref a);
    [IoctlHandler(typeof(VfioGetApiVersion))] private int ApiVersion(ulong value) => HandleValue(value);
    [IoctlHandler(typeof(VfioCheckExtension))] private int CheckExtension(ulong value) => HandleValue(value);
    [IoctlHandler(typeof(VfioSetIommu))] private int SetIommu(ulong value) => HandleValue(value);

    private Errno Handle<T>(ref T argument)
        where T : unmanaged, IIoctlStruct<T>
    {
        Calls++;
        LastCommand = T.Layout.Command;
        LastArgument = IoctlArguments.BytesOf(in argument).ToArray();
        if (Rewrite is { } rewrite)
        {
            rewrite(LastArgument.ToArray()).CopyTo(IoctlArguments.MutableBytesOf(ref argument));
        }

        return Result;
    }

    private int HandleValue(ulong value)
    {
        Calls++;
        LastValue = value;
        return ValueResult;
    }
}
