/**
 * Bare-metal test programs: the build entry point. The programs themselves
 * are `tests/baremetal/*.S` / `*.c`; built ELFs live in `tests/baremetal/bin/`.
 *
 * @module
 */

export { BaremetalBuildError, buildBaremetal } from "./build.ts";
