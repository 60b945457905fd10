/**
 * Layer 1, memory management: physical frames, Sv32 page tables, ASIDs and
 * user address spaces with demand-zero and copy-on-write pages.
 *
 * @module
 */

export { FrameAllocator, FrameError, PAGE_SHIFT, PAGE_SIZE } from "./frames.ts";
export { PageTable, PageTableError, PTE, PTE_FLAGS_MASK } from "./page_table.ts";
export { AsidAllocator, MAX_ASID } from "./asid.ts";
export {
  Access,
  AddressSpace,
  FaultResult,
  type MmContext,
  type MmStats,
  pageDown,
  pageUp,
  Prot,
  type Region,
  USER_LAYOUT,
} from "./address_space.ts";
export { type DmaBuffer, DmaBufferPool } from "./dma_buffers.ts";
export { SPAN_MAX_PAGES, UserSpan } from "./user_span.ts";
export { UserAccess } from "./user_access.ts";
