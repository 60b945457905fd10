/**
 * A sample of the corrupt-image fuzz (`deno task ext2-sweep` runs 1,000+):
 * damaged images are refused with EINVAL or answer errors, never a host
 * exception, a loop or a write outside the image.
 */
import assert from "node:assert/strict";
import { haveE2fsprogs } from "./host_tools.ts";
import { baseImage, exercise, mutate } from "./corrupt.ts";

Deno.test({
  name: "ext2 corrupt images: 60 seeds over every region, cycles and self-pointing indirect blocks",
  ignore: !haveE2fsprogs(),
  fn() {
    const { image, regions } = baseImage();
    const outcomes = new Map<string, number>();
    for (let seed = 1; seed <= 60; seed++) {
      const { image: bad, what } = mutate(image, regions, seed);
      let r: string;
      try {
        r = exercise(bad);
      } catch (e) {
        throw new Error(`seed ${seed} (${what}): ${e}`, { cause: e });
      }
      outcomes.set(r, (outcomes.get(r) ?? 0) + 1);
    }
    assert.ok((outcomes.get("mount refused") ?? 0) > 0, "some damage is refused at mount");
    assert.ok((outcomes.get("exercised") ?? 0) > 0, "some damaged images mount and are exercised");
  },
});
