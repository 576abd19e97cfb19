namespace IommuContracts.Engine.Host;

/// <summary>
/// The importer side of a dynamic dma-buf attachment (dma_buf_attach_ops): told when the exporter moves or
/// revokes the memory, after which it must stop using the addresses it was given.
/// </summary>
internal interface IDmaBufImporter
{
    /// <summary>move_notify, called under the buffer's reservation lock.</summary>
    void MoveNotify();
}
