/**
 * Live replacement of the disk driver under file-system load: ata_dma,
 * ata_irq and ata_poll replace each other at fixed simulated times while
 * the guest writes and reads files on a mounted ext2 disk. Nothing may be
 * lost: afterwards host `e2fsck -fn` is clean and `debugfs` reads every file
 * back as written. The swap points are in simulated cycles, so the run is
 * deterministic.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { boot } from "../../../../system/boot.ts";

const DRIVERS = ["ata_dma", "ata_irq", "ata_poll"];
const FILES = 24;

function haveE2fsprogs(): boolean {
  try {
    new Deno.Command("mke2fs", { args: ["-V"], stdout: "null", stderr: "null" }).outputSync();
    return true;
  } catch {
    return false;
  }
}

function sh(cmd: string, args: string[]): { code: number; out: string; stdout: string } {
  const r = new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).outputSync();
  const td = new TextDecoder();
  const stdout = td.decode(r.stdout);
  return { code: r.code, out: stdout + td.decode(r.stderr), stdout };
}

/** The content the guest writes to file `i` (`seq 1 N` output). */
function expected(i: number): string {
  const n = 40 + i * 37;
  return Array.from({ length: n }, (_, k) => String(k + 1)).join("\n") + "\n";
}

Deno.test({
  name:
    "ata swap: dma, irq and poll replace each other under ext2 load; e2fsck clean, files intact",
  ignore: !haveE2fsprogs(),
  async fn() {
    const dir = Deno.makeTempDirSync();
    const path = join(dir, "swap.img");
    try {
      Deno.writeFileSync(path, new Uint8Array(8 << 20));
      assert.equal(sh("mke2fs", ["-q", "-F", "-t", "ext2", "-b", "1024", path]).code, 0);
      const work = [
        "mkdir -p /mnt && mount -t ext2 /dev/hda /mnt",
        `i=0; while [ $i -lt ${FILES} ]; do seq 1 $((40 + i * 37)) > /mnt/f$i; ` +
        "cat /mnt/f$((i / 2)) > /dev/null; i=$((i + 1)); done",
        "sync; cat /mnt/f3 | wc -l; umount /mnt; echo done",
      ].join("; ");
      const sys = await boot({
        disks: [{ path }],
        ataDriver: "dma",
        cmd: work,
        maxHostMs: 120_000,
        maxCycles: 2e10,
      }, { kind: "buffer" });
      const k = sys.kernel;
      const swaps: string[] = [];
      let current = 0;
      const t0 = sys.machine.clock.now;
      // 30 swaps round the three drivers, 3 to 11 ms of simulated time apart
      // (a fixed pseudo-random sequence, so the run is the same every time).
      let seed = 12345, at = t0;
      for (let n = 1; n <= 30; n++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        at += 300_000 + (seed % 800_000);
        sys.machine.clock.scheduleAt(at, () => {
          const from = DRIVERS[current], to = DRIVERS[(current + 1) % 3];
          current = (current + 1) % 3;
          k.hostWork.background(
            k.modules.replace(from, `plugins/drivers/${to}/mod.ts`).then((m) =>
              void swaps.push(m.name)
            ),
          );
        });
      }
      const r = await sys.run();
      sys.machine.close();
      const out = r.output.replaceAll("\r\n", "\n");
      assert.equal(r.status, 0, out + "\n" + r.log.join("\n"));
      assert.match(out, /^151\ndone\n$/m);
      assert.ok(swaps.length >= 10, `only ${swaps.length} swaps happened during the workload`);
      const fsck = sh("e2fsck", ["-fn", path]);
      assert.equal(fsck.code, 0, fsck.out);
      for (let i = 0; i < FILES; i++) {
        const got = sh("debugfs", ["-R", `cat /f${i}`, path]).stdout;
        assert.equal(got, expected(i), `file f${i}`);
      }
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
