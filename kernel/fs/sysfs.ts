/**
 * sysfs (`/sys`), the part that describes the block layer, in Linux's
 * layout and formats:
 *
 * - `/sys/block/DISK/`: `dev` (`3:0`), `size` (512-byte sectors), `ro`,
 *   `removable`, `stat` (the 17 counters of /proc/diskstats, `%8u` each),
 *   `device/model`, `device/serial`, `queue/scheduler` and, per partition,
 *   `DISK/PART/` with `dev`, `size`, `start`, `partition`, `ro`, `stat`;
 * - `queue/scheduler` reads `[clook] fifo` (brackets round the elevator in
 *   use) and is the one writable file: writing `fifo` or `clook` switches
 *   that disk's elevator (K.INVAL for another name).
 *
 * The tree is generated from the live registry: disks come and go with
 * their drivers. A file's text is made at open; a write is taken whole
 * (trailing blanks trimmed) whatever the offset, and O_TRUNC changes
 * nothing. Opening a read-only attribute for writing is K.ACCES, as sysfs
 * does.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { BlockLayer } from "../block/block_layer.ts";
import type { Disk, Partition } from "../block/disk.ts";
import { ELEVATORS } from "../block/request_queue.ts";
import {
  type Cred,
  type FileSystem,
  type FileTimes,
  type FsInode,
  makeStat,
  uniformTimes,
} from "./node.ts";
import {
  type DirEntry,
  type FileOps,
  type OpenFile,
  OpenFlags,
  S_IFDIR,
  S_IFREG,
  type Stat,
} from "./types.ts";

const te = new TextEncoder();
const td = new TextDecoder();
const SYSFS_DEV = 0x16;

/** A node of the generated tree: a directory (children) or an attribute (text, maybe writable). */
interface SysNode {
  readonly children?: () => Map<string, SysNode>;
  readonly read?: () => string;
  readonly write?: (text: string) => KStatus;
}

/** What an open attribute holds: its text at open, and its node (for writes). */
interface AttrState {
  data: Uint8Array;
  node: SysNode;
}

const ATTR_OPS: FileOps = {
  read(file: OpenFile, buf: Uint8Array): number {
    const data: Uint8Array = (file.priv as AttrState).data;
    if (file.offset >= data.length) return 0;
    const n = Math.min(buf.length, data.length - file.offset);
    buf.set(data.subarray(file.offset, file.offset + n));
    file.offset += n;
    return n;
  },
  write(file: OpenFile, data: Uint8Array): number {
    const node = (file.priv as AttrState).node;
    if (node.write === undefined) return K.ACCES;
    const r = node.write(td.decode(data).trim());
    return r < 0 ? r : data.length;
  },
};

/** The /sys file system over the block layer. */
export class SysFs implements FileSystem {
  /** Type name. */
  readonly type = "sysfs";
  /** The scheduler files are writable. */
  readonly readOnly = false;
  /** Root directory. */
  readonly root: FsInode;
  readonly #inos = new Map<string, number>();
  readonly #times: FileTimes;

  /** sysfs over `block`; its inodes show `timeNs` as their times. */
  constructor(readonly block: BlockLayer, timeNs = 0n) {
    this.#times = uniformTimes(timeNs);
    const top: SysNode = {
      children: () => new Map([["block", { children: () => this.#disks() }]]),
    };
    this.root = this.#inode("", top);
  }

  #disks(): Map<string, SysNode> {
    const m = new Map<string, SysNode>();
    for (const d of this.block.disks) if (d !== null) m.set(d.name, this.#diskNode(d));
    return m;
  }

  #diskNode(d: Disk): SysNode {
    const whole = d.whole;
    return {
      children: () => {
        const m = new Map<string, SysNode>(this.#partAttrs(whole));
        m.set("removable", { read: () => "0\n" });
        m.set("device", {
          children: () =>
            new Map([
              ["model", { read: () => `${d.driver.model}\n` }],
              ["serial", { read: () => `${d.driver.serial}\n` }],
            ]),
        });
        m.set("queue", {
          children: () =>
            new Map([["scheduler", {
              read: () =>
                ELEVATORS.map((e) => e === d.queue.elevator ? `[${e}]` : e).join(" ") + "\n",
              write: (text: string) => this.block.setElevator(d.name, text),
            }]]),
        });
        for (const p of d.partitions.slice(1)) {
          m.set(p.name, {
            children: () => {
              const pm = new Map(this.#partAttrs(p));
              pm.set("start", { read: () => `${p.start}\n` });
              pm.set("partition", { read: () => `${p.index}\n` });
              return pm;
            },
          });
        }
        return m;
      },
    };
  }

  #partAttrs(p: Partition): [string, SysNode][] {
    return [
      ["dev", { read: () => `${p.major}:${p.minor}\n` }],
      ["size", { read: () => `${p.sectors}\n` }],
      ["ro", { read: () => (p.disk.readOnly ? "1\n" : "0\n") }],
      ["stat", { read: () => this.#stat(p) }],
    ];
  }

  #stat(p: Partition): string {
    const line = this.block.diskstatsText().split("\n").find((l) => {
      const f = l.trim().split(/\s+/);
      return f[2] === p.name;
    });
    const fields = line === undefined ? [] : line.trim().split(/\s+/).slice(3);
    return fields.map((f) => f.padStart(8)).join(" ") + "\n";
  }

  #ino(path: string): number {
    let n = this.#inos.get(path);
    if (n === undefined) {
      n = this.#inos.size + 1;
      this.#inos.set(path, n);
    }
    return n;
  }

  /**
   * A fresh inode at `path` for `node` (disks come and go, so nothing is
   * kept but the inode number of each path).
   */
  #inode(path: string, node: SysNode): FsInode {
    const ino = this.#ino(path);
    const times = this.#times;
    const isDir = node.children !== undefined;
    const inode: FsInode = isDir
      ? {
        ino,
        fileOps: {
          read: () => K.ISDIR,
          write: () => K.ISDIR,
          readdir: (file: OpenFile): DirEntry[] => {
            const out: DirEntry[] = [
              { ino, name: ".", type: S_IFDIR },
              { ino: this.#ino(path.slice(0, path.lastIndexOf("/"))), name: "..", type: S_IFDIR },
            ];
            for (const [name, c] of node.children!()) {
              out.push({
                ino: this.#ino(`${path}/${name}`),
                name,
                type: c.children !== undefined ? S_IFDIR : S_IFREG,
              });
            }
            return out.slice(file.offset);
          },
        },
        stat: (): Stat =>
          makeStat({ ...times, dev: SYSFS_DEV, ino, mode: S_IFDIR | 0o755, nlink: 2 }),
        lookup: (name: string) => {
          const c = node.children!().get(name);
          return c === undefined ? K.NOENT : this.#inode(`${path}/${name}`, c);
        },
      }
      : {
        ino,
        fileOps: ATTR_OPS,
        stat: (): Stat =>
          makeStat({
            ...times,
            dev: SYSFS_DEV,
            ino,
            mode: S_IFREG | (node.write !== undefined ? 0o644 : 0o444),
            size: 4096,
          }),
        // O_TRUNC (the shell's `>`) is accepted and changes nothing, as on Linux.
        truncate: () => (node.write !== undefined ? K.OK : K.ACCES),
        open: (file: OpenFile, _cred?: Cred): KStatus => {
          if ((file.flags & OpenFlags.WRITE) && node.write === undefined) return K.ACCES;
          const state: AttrState = { data: te.encode(node.read?.() ?? ""), node };
          file.priv = state;
          return K.OK;
        },
      };
    return inode;
  }
}
