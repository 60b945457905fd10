/**
 * The `ata_poll` driver plugin: the disk controllers driven by programmed
 * I/O with interrupts masked, the CPU busy-waiting on STATUS for every
 * sector (this folder's {@link AtaPollDisk}). It claims each unit's
 * register window and interrupt line (kept masked) and registers the disks
 * with the block layer as `/dev/hda`...
 *
 * @module
 */

import type { ModuleDescriptor } from "../../../kernel/api.ts";
import { type AtaModuleOptions, makeAtaModule } from "../ata_common/module.ts";
import { AtaPollDisk } from "./driver.ts";

export { AtaPollDisk } from "./driver.ts";

/** Builds the descriptor for the given units. */
export function makeAtaPollModule(options: AtaModuleOptions = {}): ModuleDescriptor {
  return makeAtaModule({
    name: "ata_poll",
    description: "ATA disk driver: PIO, busy-waiting on STATUS",
    makeDisk: (regs, host, _shared, opts) => new AtaPollDisk(regs, host, opts),
  }, options);
}

/** The module descriptor (disk unit 0). */
export const module: ModuleDescriptor = makeAtaPollModule();
