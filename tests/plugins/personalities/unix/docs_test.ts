import assert from "node:assert/strict";
import {
  renderSyscallDoc,
  SYSCALL_DOC_PATH,
} from "../../../../plugins/personalities/unix/syscall_doc.ts";

Deno.test("docs/syscalls_unix.md matches the syscall table", () => {
  const url = new URL(`../../../../${SYSCALL_DOC_PATH}`, import.meta.url);
  const onDisk = Deno.readTextFileSync(url);
  assert.equal(
    onDisk,
    renderSyscallDoc(),
    "regenerate with: deno run -A plugins/personalities/unix/syscall_doc.ts",
  );
});
