/**
 * The ext2 file-system module: registers the type "ext2" for `mount`. A
 * mount opens the source block device (`/dev/hda1`) through the buffer
 * cache, reads the superblock and answers the mounted {@link Ext2Fs}; an
 * unmount writes everything back, marks the file system clean and closes
 * the device. See "ext2" in `docs/filesystems.md`.
 *
 * @module
 */

import {
  API_VERSION,
  type FileSystem,
  K,
  type KernelApi,
  type KStatus,
  type ModuleContext,
  type ModuleDescriptor,
  type MountRequest,
} from "../../../kernel/api.ts";
import { Ext2Fs } from "./ext2_fs.ts";

export { Ext2Fs } from "./ext2_fs.ts";
export type { BlockSource } from "./block_source.ts";

function mountExt2(api: KernelApi, request: MountRequest): FileSystem | KStatus {
  const dev = api.openBlockDevice(request.source, !request.readOnly);
  if (typeof dev === "number") return dev;
  const fs = Ext2Fs.mount(dev, {
    readOnly: request.readOnly,
    now: request.now,
    source: request.source,
    log: (line) => api.log(`${line} (${request.source})`),
    onUnmount: () => dev.close(),
  });
  if (typeof fs === "number") dev.close();
  return fs;
}

/** The module descriptor. */
export const module: ModuleDescriptor = {
  name: "ext2",
  version: "1.0.0",
  apiVersion: API_VERSION,
  kind: "filesystem",
  description: "the second extended file system on a block device",
  init(api: KernelApi, ctx: ModuleContext): void {
    const r = ctx.registerFileSystem("ext2", (request) => mountExt2(api, request));
    if (r !== K.OK) throw new Error(`ext2: registerFileSystem answered ${r}`);
  },
  exit(_api: KernelApi): void {
    // Registrations go with the module; it cannot unload while an ext2 file system is mounted.
  },
};
