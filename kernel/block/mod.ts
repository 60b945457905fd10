/**
 * The block layer (between io and fs): disks, request queues with an
 * elevator, MBR partitions, the buffer cache and block device nodes.
 *
 * @module
 */

export * from "./types.ts";
export {
  BlockLayer,
  type BlockLayerDeps,
  type BlockLayerOptions,
  MAX_DISKS,
} from "./block_layer.ts";
export {
  BufferCache,
  type CacheDeps,
  type CacheStats,
  DEFAULT_CACHE_BYTES,
  WRITEBACK_NS,
} from "./buffer_cache.ts";
export { BlockDeviceHandle, type WaitForIo } from "./block_device.ts";
export { Disk, type PartCounters, Partition, UNIT_MAJOR, UNIT_MINOR, UNIT_NAME } from "./disk.ts";
export { buildMbr, type MbrPartition, parseMbr } from "./mbr.ts";
export {
  type DiskCounters,
  type ElevatorName,
  ELEVATORS,
  MAX_MERGED_SECTORS,
  RequestQueue,
} from "./request_queue.ts";
