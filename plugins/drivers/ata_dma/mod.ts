/**
 * The `ata_dma` driver plugin: the disk controllers driven by READ/WRITE
 * DMA through DMA channel {@link ATA_DMA_CHANNEL}, one interrupt per
 * command (this folder's {@link AtaDmaDisk}). It claims each unit's
 * register window and interrupt line, the channel and its registers, takes
 * a 128 KiB bounce buffer at load (given back at unload), and registers the
 * disks with the block layer as `/dev/hda`...
 *
 * @module
 */

import { DMA_REG } from "../../../hw/dma_regs.ts";
import { MEMORY_MAP } from "../../../hw/memory_map.ts";
import type { DmaBuffer, ModuleContext, ModuleDescriptor } from "../../../kernel/api.ts";
import { AtaDriverError, type AtaModuleOptions, makeAtaModule } from "../ata_common/module.ts";
import { ATA_DMA_BUFFER_BYTES, AtaDmaChannel, AtaDmaDisk } from "./driver.ts";

export { ATA_DMA_BUFFER_BYTES, AtaDmaChannel, AtaDmaDisk } from "./driver.ts";

/** The DMA channel the driver claims (the tape driver has channel 3). */
export const ATA_DMA_CHANNEL = 0;

const CHANNEL_BASE = MEMORY_MAP.DMA_BASE + DMA_REG.CHANNEL_BASE +
  ATA_DMA_CHANNEL * DMA_REG.CHANNEL_STRIDE;

interface Shared {
  channel: AtaDmaChannel;
  buffer: DmaBuffer;
}

/** Builds the descriptor for the given units. */
export function makeAtaDmaModule(options: AtaModuleOptions = {}): ModuleDescriptor {
  return makeAtaModule({
    name: "ata_dma",
    description: "ATA disk driver: READ/WRITE DMA, an interrupt per command",
    extraMmio: [{ base: CHANNEL_BASE, size: DMA_REG.CHANNEL_STRIDE }],
    dma: [ATA_DMA_CHANNEL],
    setUp(ctx: ModuleContext): Shared {
      const buffer = ctx.allocDmaBuffer(ATA_DMA_BUFFER_BYTES);
      if (buffer === null) throw new AtaDriverError("no RAM for the DMA buffer");
      const channel = new AtaDmaChannel(ctx.mmio(CHANNEL_BASE), buffer.paddr, buffer.bytes);
      return { channel, buffer };
    },
    makeDisk: (regs, host, shared, opts) =>
      new AtaDmaDisk(regs, host, (shared as Shared).channel, opts),
    release: (shared) => (shared as Shared).buffer.free(),
  }, options);
}

/** The module descriptor (disk unit 0). */
export const module: ModuleDescriptor = makeAtaDmaModule();
