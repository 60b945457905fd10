/**
 * The `ata_irq` driver plugin: the disk controllers driven by programmed
 * I/O with one completion interrupt per sector (this folder's
 * {@link AtaIrqDisk}). It claims each unit's register window and interrupt
 * line and registers the disks with the block layer as `/dev/hda`...
 *
 * @module
 */

import type { ModuleDescriptor } from "../../../kernel/api.ts";
import { type AtaModuleOptions, makeAtaModule } from "../ata_common/module.ts";
import { AtaIrqDisk } from "./driver.ts";

export { AtaIrqDisk } from "./driver.ts";

/** Builds the descriptor for the given units. */
export function makeAtaIrqModule(options: AtaModuleOptions = {}): ModuleDescriptor {
  return makeAtaModule({
    name: "ata_irq",
    description: "ATA disk driver: PIO with an interrupt per sector",
    makeDisk: (regs, host, _shared, opts) => new AtaIrqDisk(regs, host, opts),
  }, options);
}

/** The module descriptor (disk unit 0). */
export const module: ModuleDescriptor = makeAtaIrqModule();
