using IommuContracts.Contracts;
using IommuContracts.Engine.Core;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;

namespace IommuContracts.Engine.Kapi;

/// <summary>
/// The in-kernel iommufd API that drivers call (include/linux/iommufd.h), with the kernel's errno. Results
/// are <see cref="Errno"/> with outputs through out/ref parameters and must be checked. Misuse that the
/// kernel WARNs about or crashes on throws <see cref="ContractViolationException"/> with the rule ID the
/// analyzers use for the same mistake.
/// </summary>
public static partial class Iommufd
{
    // ---- contexts ----

    /// <summary>iommufd_ctx_from_fd: a context reference from an fd of <paramref name="process"/>; EBADF, or EBADFD for a non-iommufd file.</summary>
    [MustCheck]
    public static Errno CtxFromFd(SimulatedProcess process, int fd, [Acquires("Held")] out IommufdCtx? ctx)
    {
        ArgumentNullException.ThrowIfNull(process);
        ctx = null;
        if (!process.TryGetFile(fd, out var file))
        {
            return Errno.EBADF;
        }

        if (file is not IommufdFile iommufd)
        {
            file.Put();
            return Errno.EBADFD;
        }

        ctx = new IommufdCtx(iommufd.Context);
        return Errno.None;
    }

    /// <summary>iommufd_ctx_get: another reference, for a caller that already holds one.</summary>
    public static void CtxGet([RequiresState("Held")] IommufdCtx ctx)
    {
        NullHandle.Check(ctx, nameof(ctx));
        ctx.Get();
    }

    /// <summary>iommufd_ctx_put: gives one reference back.</summary>
    public static void CtxPut([Releases] IommufdCtx ctx)
    {
        NullHandle.Check(ctx, nameof(ctx));
        ctx.Put();
    }

    /// <summary>iommufd_ctx_has_group: whether a device of <paramref name="group"/> is bound in the context.</summary>
    public static bool CtxHasGroup(IommufdCtx ctx, IommuGroup group)
    {
        NullHandle.Check(ctx, nameof(ctx));
        return ctx.Context.HasGroup(group);
    }

    // ---- devices ----

    /// <summary>
    /// iommufd_device_bind: places the whole device (its requester ID) under the context; its DMA is blocked
    /// until attach. EPERM if the driver did not declare driver-managed DMA, if a kernel driver or another
    /// context owns the group, or if MSIs cannot be isolated and unsafe interrupts are not allowed; EINVAL
    /// without cache coherency.
    /// </summary>
    [MustCheck]
    [RequiresDriverManagedDma]
    public static Errno DeviceBind(IommufdCtx ctx, [TransitionsTo("Owned")] PciDevice device, [Acquires("Bound")] out IommufdDevice? idev, out DeviceId id)
    {
        NullHandle.Check(ctx, nameof(ctx));
        ArgumentNullException.ThrowIfNull(device);
        idev = null;
        id = DeviceId.None;
        if (device.Driver != DeviceDriverKind.DriverManagedDma)
        {
            ctx.Context.Kernel.Log.Info($"{device.Address}: bind refused, the bound driver does not manage DMA itself (driver_managed_dma)");
            return Errno.EPERM;
        }

        var bound = Device.Bind(ctx.Context, device, out var created);
        if (bound != Errno.None)
        {
            return bound;
        }

        idev = new IommufdDevice(created!);
        id = created!.Id;
        return Errno.None;
    }

    /// <summary>iommufd_device_unbind: the device returns to the kernel. Detach first; never use the idev again.</summary>
    public static void DeviceUnbind([RequiresState("Bound", Rule = RuleIds.UnbindWhileAttached, EveryKey = true), Releases] IommufdDevice idev)
    {
        NullHandle.Check(idev, nameof(idev));
        using (idev.Enter("iommufd_device_unbind"))
        {
            if (idev.Idev.AttachedHwpt is not null)
            {
                throw new ContractViolationException(RuleIds.UnbindWhileAttached,
                    $"{idev.Device.Address} unbound while attached; call DeviceDetach before DeviceUnbind");
            }

            if (idev.Idev.AttachedPasids is { Count: > 0 } pasids)
            {
                throw new ContractViolationException(RuleIds.UnbindWhileAttached,
                    $"{idev.Device.Address} unbound while PASID {string.Join(", ", pasids)} attached; detach every PASID (DeviceDetach(idev, pasid)) before DeviceUnbind");
            }
        }

        idev.MarkUnbound();
        idev.Idev.Unbind();
    }

    /// <summary>
    /// iommufd_device_attach: attaches to <paramref name="ptId"/>, an IOAS (through an automatic domain) or a HWPT,
    /// and returns the HWPT used in <paramref name="hwptId"/> (the same ID when a HWPT was passed; None on error).
    /// EBUSY if already attached (use replace), ENOENT / EINVAL for a bad pt_id, EINVAL for an incompatible HWPT,
    /// EADDRINUSE when reserved regions collide.
    /// </summary>
    [MustCheck]
    public static Errno DeviceAttach(
        [RequiresState("Bound", Rule = RuleIds.AttachWhileAttached), TransitionsTo("Attached")] IommufdDevice idev,
        PageTableId ptId,
        [OutputMustBeUsed(RuleIds.PtIdIgnored)] out HwptId hwptId)
    {
        NullHandle.Check(idev, nameof(idev));
        using (idev.Enter("iommufd_device_attach"))
        {
            ObjectId pt = ptId;
            return HwptUsed(idev.Idev.Attach(ref pt), pt, out hwptId);
        }
    }

    /// <summary>
    /// iommufd_device_replace: moves the attached device's group to <paramref name="ptId"/>, an IOAS or a HWPT,
    /// atomically, and returns the HWPT now used in <paramref name="hwptId"/> (None on error); EINVAL if not attached.
    /// </summary>
    [MustCheck]
    public static Errno DeviceReplace(
        [RequiresState("Attached", Rule = RuleIds.ReplaceWhenNotAttached)] IommufdDevice idev,
        PageTableId ptId,
        [OutputMustBeUsed(RuleIds.PtIdIgnored)] out HwptId hwptId)
    {
        NullHandle.Check(idev, nameof(idev));
        using (idev.Enter("iommufd_device_replace"))
        {
            ObjectId pt = ptId;
            return HwptUsed(idev.Idev.Replace(ref pt), pt, out hwptId);
        }
    }

    /// <summary>iommufd_device_detach: DMA is blocked again and the device's reserved regions leave the IOAS.</summary>
    [ExcludesLock("ioas")]
    public static void DeviceDetach([RequiresState("Attached", Rule = RuleIds.DetachWhenNotAttached), TransitionsTo("Bound", Always = true)] IommufdDevice idev)
    {
        NullHandle.Check(idev, nameof(idev));
        using (idev.Enter("iommufd_device_detach"))
        {
            if (idev.Idev.AttachedHwpt is null)
            {
                throw new ContractViolationException(RuleIds.DetachWhenNotAttached,
                    $"{idev.Device.Address} detached while not attached; only detach after a successful attach (check IsAttached)");
            }

            idev.Idev.Detach();
        }
    }

    /// <summary>iommufd_device_to_id.</summary>
    public static DeviceId DeviceToId([RequiresState("Bound", "Attached")] IommufdDevice idev)
    {
        NullHandle.Check(idev, nameof(idev));
        using (idev.Enter("iommufd_device_to_id"))
        {
            return idev.Id;
        }
    }

    // ---- accesses ----

    /// <summary>iommufd_access_create: an access object owned by the driver (destroy it with AccessDestroy); it holds a context reference.</summary>
    [MustCheck]
    public static Errno AccessCreate(IommufdCtx ctx, IIommufdAccessOps ops, [Acquires("Created")] out IommufdAccess? access, out AccessId id)
    {
        NullHandle.Check(ctx, nameof(ctx));
        ArgumentNullException.ThrowIfNull(ops);
        access = null;
        id = AccessId.None;
        var created = new Access(ctx.Context, ops);
        var allocated = ctx.Context.Objects.Allocate(created);
        if (allocated != Errno.None)
        {
            return allocated;
        }

        created.AddUser();
        ctx.Context.GetFileReference();
        ctx.Context.Objects.Publish(created);
        access = new IommufdAccess(created);
        id = created.Id;
        return Errno.None;
    }

    /// <summary>iommufd_access_attach: ENOENT for an unknown IOAS, EADDRINUSE if its areas do not meet the access's alignment.</summary>
    [MustCheck]
    public static Errno AccessAttach([RequiresState("Created", Rule = RuleIds.AccessNotAttached), TransitionsTo("Attached")] IommufdAccess access, IoasId ioasId)
    {
        NullHandle.Check(access, nameof(access));
        access.CheckAlive("iommufd_access_attach");
        var target = access.Access;
        lock (target.IoasLock)
        {
            if (target.Ioas is not null)
            {
                throw new ContractViolationException(RuleIds.AccessNotAttached,
                    $"{access} attached twice; detach it first, or move it with AccessReplace");
            }

            return ChangeIoas(target, ioasId);
        }
    }

    /// <summary>iommufd_access_replace: moves an attached access to another IOAS (its pins are dropped through ops.Unmap); ENOENT if not attached.</summary>
    [MustCheck]
    public static Errno AccessReplace([RequiresState("Attached", Rule = RuleIds.AccessNotAttached)] IommufdAccess access, IoasId ioasId)
    {
        NullHandle.Check(access, nameof(access));
        access.CheckAlive("iommufd_access_replace");
        var target = access.Access;
        lock (target.IoasLock)
        {
            return target.Ioas is null ? Errno.ENOENT : ChangeIoas(target, ioasId);
        }
    }

    /// <summary>iommufd_access_detach: leaves the IOAS after ops.Unmap for everything.</summary>
    public static void AccessDetach([RequiresState("Attached", Rule = RuleIds.AccessNotAttached), TransitionsTo("Created", Always = true)] IommufdAccess access)
    {
        NullHandle.Check(access, nameof(access));
        access.CheckAlive("iommufd_access_detach");
        var target = access.Access;
        lock (target.IoasLock)
        {
            if (target.Ioas is null)
            {
                throw new ContractViolationException(RuleIds.AccessNotAttached, $"{access} detached while not attached; detach only after a successful attach");
            }

            var changed = target.ChangeIoas(null);
            if (changed != Errno.None)
            {
                target.Context.Kernel.Log.Warn($"{access}: detach failed with {changed}");
            }
        }
    }

    /// <summary>iommufd_access_destroy: detaches (asking the driver to unpin everything) and destroys the access.</summary>
    public static void AccessDestroy([Releases] IommufdAccess access)
    {
        NullHandle.Check(access, nameof(access));
        access.BeginDestroy();
        access.Access.Context.Objects.RemoveOwned(access.Access);
        access.EndDestroy();
    }

    /// <summary>
    /// iommufd_access_pin_pages: pins [iova, iova + length) and returns its pages. EINVAL (length 0, an
    /// area being unmapped, misaligned inner boundaries), EOVERFLOW, ENOENT (not attached, a hole), EPERM
    /// (missing permission), pin errors. Unpin exactly this range later, and in ops.Unmap.
    /// </summary>
    [MustCheck]
    [Pins]
    public static Errno AccessPinPages([RequiresState("Attached", Rule = RuleIds.AccessNotAttached)] IommufdAccess access, ulong iova, ulong length, bool write, out UserPage[] pages)
    {
        NullHandle.Check(access, nameof(access));
        access.CheckAlive("iommufd_access_pin_pages");
        pages = [];
        var target = access.Access;
        if (!target.Ops.NeedsPinPages)
        {
            throw new ContractViolationException(RuleIds.AccessUnmapDoesNotUnpin,
                $"{access} pins pages but its ops do not declare NeedsPinPages; a pinning access must say so and unpin in Unmap");
        }

        if (length == 0)
        {
            return Errno.EINVAL;
        }

        if (!IoPageTable.Overflow.TryLast(iova, length, out var last))
        {
            return Errno.EOVERFLOW;
        }

        lock (target.IoasLock)
        {
            if (target.Ioas is not { } ioas)
            {
                return Errno.ENOENT;
            }

            var pinned = new List<UserPage>();
            var result = ioas.Iopt.AccessPin(iova, last, write, pinned);
            if (result != Errno.None)
            {
                return result;
            }

            lock (target.Pins)
            {
                target.Pins.Add((iova, length));
            }

            pages = pinned.ToArray();
            return Errno.None;
        }
    }

    /// <summary>iommufd_access_unpin_pages: must match a previous pin exactly.</summary>
    [Unpins]
    public static void AccessUnpinPages(IommufdAccess access, ulong iova, ulong length)
    {
        NullHandle.Check(access, nameof(access));
        access.CheckAlive("iommufd_access_unpin_pages", allowedWhileDestroying: true);
        var target = access.Access;
        lock (target.Pins)
        {
            if (!target.Pins.Remove((iova, length)))
            {
                throw new ContractViolationException(RuleIds.UnpinMismatch,
                    $"{access} unpins [0x{iova:X}, +0x{length:X}), which was never pinned as one range; unpin exactly the ranges AccessPinPages returned");
            }
        }

        lock (target.IoasLock)
        {
            if (target.IoasForUnpin is not { } ioas || !ioas.Iopt.AccessUnpin(iova, iova + length - 1))
            {
                target.Context.Kernel.Log.Warn($"{access}: unpin of [0x{iova:X}, +0x{length:X}) found no mapping");
            }
        }
    }

    /// <summary>iommufd_access_rw: CPU copy between <paramref name="buffer"/> and the IOAS. EINVAL, EOVERFLOW, ENOENT, EPERM, EFAULT.</summary>
    [MustCheck]
    public static Errno AccessRw([RequiresState("Attached", Rule = RuleIds.AccessNotAttached)] IommufdAccess access, ulong iova, Span<byte> buffer, AccessRwFlags flags)
    {
        NullHandle.Check(access, nameof(access));
        access.CheckAlive("iommufd_access_rw");
        if (buffer.IsEmpty)
        {
            return Errno.EINVAL;
        }

        if (!IoPageTable.Overflow.TryLast(iova, (ulong)buffer.Length, out var last))
        {
            return Errno.EOVERFLOW;
        }

        var target = access.Access;
        lock (target.IoasLock)
        {
            return target.Ioas is not { } ioas
                ? Errno.ENOENT
                : ioas.Iopt.AccessReadWrite(iova, last, buffer, (flags & AccessRwFlags.Write) != 0);
        }
    }

    private static Errno ChangeIoas(Access access, IoasId ioasId)
    {
        var found = access.Context.Objects.Get(ioasId, out Ioas? ioas);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            return access.ChangeIoas(ioas);
        }
        finally
        {
            access.Context.Objects.Put(ioas!);
        }
    }

    // The kernel rewrites pt_id only on success; a failed attach names no HWPT.
    private static Errno HwptUsed(Errno result, ObjectId ptId, out HwptId hwptId)
    {
        hwptId = result == Errno.None ? new HwptId(ptId.Value) : HwptId.None;
        return result;
    }
}
