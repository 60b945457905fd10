/**
 * The C extension (RV32C with the F and D forms): expands a 16-bit
 * instruction into the 32-bit instruction it stands for, which the normal
 * decoder (`hw/decode.ts`) then decodes. The CPU marks the decoded slot as
 * compressed so that the pc advances by 2 and links are pc + 2.
 *
 * Map of this file: 32-bit encoders (I, S, B, J, U, R formats), then
 * `expandCompressed`, one branch per quadrant and funct3 as the spec's
 * table lists them. Reserved encodings give 0 (illegal); HINTs expand to
 * their no-op equivalents.
 *
 * @module
 */

function iType(imm: number, rs1: number, f3: number, rd: number, op: number): number {
  return ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

function sType(imm: number, rs2: number, rs1: number, f3: number, op: number): number {
  return (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    ((imm & 31) << 7) | op;
}

function bType(imm: number, rs2: number, rs1: number, f3: number): number {
  return (((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) |
    (f3 << 12) | (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | 0x63;
}

function jType(imm: number, rd: number): number {
  return (((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;
}

function rType(f7: number, rs2: number, rs1: number, f3: number, rd: number): number {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x33;
}

/** Sign-extends the low `bits` bits of `v`. */
function sext(v: number, bits: number): number {
  return (v << (32 - bits)) >> (32 - bits);
}

function bit(h: number, i: number): number {
  return (h >> i) & 1;
}

/** Quadrant 0: stack-pointer-based ADDI and register-based loads/stores. */
function quadrant0(h: number, f3: number): number {
  const rdp = ((h >> 2) & 7) + 8;
  const rs1p = ((h >> 7) & 7) + 8;
  // Offsets: LW/SW/FLW/FSW scale by 4, FLD/FSD by 8.
  const offW = (((h >> 10) & 7) << 3) | (bit(h, 6) << 2) | (bit(h, 5) << 6);
  const offD = (((h >> 10) & 7) << 3) | (((h >> 5) & 3) << 6);
  switch (f3) {
    case 0: { // C.ADDI4SPN
      const imm = (((h >> 11) & 3) << 4) | (((h >> 7) & 0xf) << 6) | (bit(h, 6) << 2) |
        (bit(h, 5) << 3);
      return imm === 0 ? 0 : iType(imm, 2, 0, rdp, 0x13);
    }
    case 1: // C.FLD
      return iType(offD, rs1p, 3, rdp, 0x07);
    case 2: // C.LW
      return iType(offW, rs1p, 2, rdp, 0x03);
    case 3: // C.FLW
      return iType(offW, rs1p, 2, rdp, 0x07);
    case 5: // C.FSD
      return sType(offD, rdp, rs1p, 3, 0x27);
    case 6: // C.SW
      return sType(offW, rdp, rs1p, 2, 0x23);
    case 7: // C.FSW
      return sType(offW, rdp, rs1p, 2, 0x27);
  }
  return 0;
}

/** Quadrant 1: immediates, ALU, jumps and branches. */
function quadrant1(h: number, f3: number): number {
  const rd = (h >> 7) & 31;
  const imm6 = sext((bit(h, 12) << 5) | ((h >> 2) & 31), 6);
  switch (f3) {
    case 0: // C.ADDI (C.NOP)
      return iType(imm6, rd, 0, rd, 0x13);
    case 1: // C.JAL
    case 5: { // C.J
      const imm = sext(
        (bit(h, 12) << 11) | (bit(h, 11) << 4) | (((h >> 9) & 3) << 8) | (bit(h, 8) << 10) |
          (bit(h, 7) << 6) | (bit(h, 6) << 7) | (((h >> 3) & 7) << 1) | (bit(h, 2) << 5),
        12,
      );
      return jType(imm, f3 === 1 ? 1 : 0);
    }
    case 2: // C.LI
      return iType(imm6, 0, 0, rd, 0x13);
    case 3: {
      if (rd === 2) { // C.ADDI16SP
        const imm = sext(
          (bit(h, 12) << 9) | (bit(h, 6) << 4) | (bit(h, 5) << 6) | (((h >> 3) & 3) << 7) |
            (bit(h, 2) << 5),
          10,
        );
        return imm === 0 ? 0 : iType(imm, 2, 0, 2, 0x13);
      }
      if (imm6 === 0) return 0; // C.LUI with nzimm = 0 is reserved
      return ((imm6 << 12) | (rd << 7) | 0x37) | 0;
    }
    case 4: {
      const rdp = ((h >> 7) & 7) + 8;
      const rs2p = ((h >> 2) & 7) + 8;
      switch ((h >> 10) & 3) {
        case 0: // C.SRLI
          return bit(h, 12) ? 0 : iType((h >> 2) & 31, rdp, 5, rdp, 0x13);
        case 1: // C.SRAI
          return bit(h, 12) ? 0 : iType(0x400 | ((h >> 2) & 31), rdp, 5, rdp, 0x13);
        case 2: // C.ANDI
          return iType(imm6, rdp, 7, rdp, 0x13);
        default: {
          if (bit(h, 12)) return 0; // RV64 SUBW/ADDW
          const f = (h >> 5) & 3; // SUB, XOR, OR, AND
          return rType(f === 0 ? 0x20 : 0, rs2p, rdp, [0, 4, 6, 7][f], rdp);
        }
      }
    }
    default: { // C.BEQZ (6), C.BNEZ (7)
      const imm = sext(
        (bit(h, 12) << 8) | (((h >> 10) & 3) << 3) | (((h >> 5) & 3) << 6) |
          (((h >> 3) & 3) << 1) | (bit(h, 2) << 5),
        9,
      );
      return bType(imm, 0, ((h >> 7) & 7) + 8, f3 === 6 ? 0 : 1);
    }
  }
}

/** Quadrant 2: shifts, stack-pointer loads/stores, jumps through registers, moves. */
function quadrant2(h: number, f3: number): number {
  const rd = (h >> 7) & 31;
  const rs2 = (h >> 2) & 31;
  switch (f3) {
    case 0: // C.SLLI
      return bit(h, 12) ? 0 : iType(rs2, rd, 1, rd, 0x13);
    case 1: // C.FLDSP
      return iType((bit(h, 12) << 5) | (((h >> 5) & 3) << 3) | (((h >> 2) & 7) << 6), 2, 3, rd, 7);
    case 2: // C.LWSP
    case 3: { // C.FLWSP
      const off = (bit(h, 12) << 5) | (((h >> 4) & 7) << 2) | (((h >> 2) & 3) << 6);
      if (f3 === 2 && rd === 0) return 0;
      return iType(off, 2, 2, rd, f3 === 2 ? 0x03 : 0x07);
    }
    case 4:
      if (!bit(h, 12)) {
        if (rs2 === 0) return rd === 0 ? 0 : iType(0, rd, 0, 0, 0x67); // C.JR
        return rType(0, rs2, 0, 0, rd); // C.MV
      }
      if (rs2 === 0) {
        if (rd === 0) return 0x00100073; // C.EBREAK
        return iType(0, rd, 0, 1, 0x67); // C.JALR
      }
      return rType(0, rs2, rd, 0, rd); // C.ADD
    case 5: // C.FSDSP
      return sType((((h >> 10) & 7) << 3) | (((h >> 7) & 7) << 6), rs2, 2, 3, 0x27);
    case 6: // C.SWSP
    case 7: { // C.FSWSP
      const off = (((h >> 9) & 0xf) << 2) | (((h >> 7) & 3) << 6);
      return sType(off, rs2, 2, 2, f3 === 6 ? 0x23 : 0x27);
    }
  }
  return 0;
}

/**
 * The 32-bit instruction that compressed instruction `h` (low two bits not
 * 11) expands to, or 0 when `h` is reserved or illegal.
 */
export function expandCompressed(h: number): number {
  h &= 0xffff;
  if (h === 0) return 0;
  const f3 = h >> 13;
  switch (h & 3) {
    case 0:
      return quadrant0(h, f3);
    case 1:
      return quadrant1(h, f3);
    case 2:
      return quadrant2(h, f3);
  }
  return 0;
}

/**
 * The 16-bit encoding of a compressed FP load or store, rebuilt from its
 * decoded fields (for the tval of the illegal-instruction trap taken when
 * FS is Off): `load`/`dbl` pick C.FLW/C.FLD/C.FSW/C.FSD, `rs1` 2 gives the
 * stack-pointer form, `freg` is the FP register and `off` the offset.
 */
export function compressFpMemory(
  load: boolean,
  dbl: boolean,
  rs1: number,
  freg: number,
  off: number,
): number {
  const f3 = (load ? 1 : 5) | (dbl ? 0 : 2);
  if (rs1 === 2) {
    if (load) {
      const lo = dbl
        ? (((off >> 3) & 3) << 5) | (((off >> 6) & 7) << 2)
        : (((off >> 2) & 7) << 4) | (((off >> 6) & 3) << 2);
      return (f3 << 13) | (((off >> 5) & 1) << 12) | (freg << 7) | lo | 2;
    }
    const hi = dbl
      ? (((off >> 3) & 7) << 10) | (((off >> 6) & 7) << 7)
      : (((off >> 2) & 0xf) << 9) | (((off >> 6) & 3) << 7);
    return (f3 << 13) | hi | (freg << 2) | 2;
  }
  const mid = dbl ? ((off >> 6) & 3) << 5 : (((off >> 2) & 1) << 6) | (((off >> 6) & 1) << 5);
  return (f3 << 13) | (((off >> 3) & 7) << 10) | ((rs1 - 8) << 7) | mid | ((freg - 8) << 2);
}
