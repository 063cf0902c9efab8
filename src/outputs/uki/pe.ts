/**
 * Just enough PE/COFF reading to add sections to systemd-stub with objcopy: where the stub's
 * sections end and how they are aligned, so each new section gets a virtual address after
 * the last one (what ukify computes; Debian 12 has no ukify).
 */

export interface PeSection {
  name: string;
  virtualAddress: number;
  virtualSize: number;
}

export interface PeInfo {
  imageBase: number;
  sectionAlignment: number;
  fileAlignment: number;
  sections: PeSection[];
  machine: number;
}

export class PeFormatError extends Error {}

export function readPe(buf: Buffer): PeInfo {
  if (buf.length < 0x40 || buf.toString('latin1', 0, 2) !== 'MZ') throw new PeFormatError('no MZ header');
  const pe = buf.readUInt32LE(0x3c);
  if (pe + 24 > buf.length || buf.toString('latin1', pe, pe + 4) !== 'PE\0\0')
    throw new PeFormatError('no PE signature');
  const coff = pe + 4;
  const machine = buf.readUInt16LE(coff);
  const count = buf.readUInt16LE(coff + 2);
  const optSize = buf.readUInt16LE(coff + 16);
  const opt = coff + 20;
  const magic = buf.readUInt16LE(opt);
  if (magic !== 0x20b) throw new PeFormatError(`optional header magic 0x${magic.toString(16)} is not PE32+`);
  const imageBase = Number(buf.readBigUInt64LE(opt + 24));
  const sectionAlignment = buf.readUInt32LE(opt + 32);
  const fileAlignment = buf.readUInt32LE(opt + 36);
  const table = opt + optSize;
  if (table + count * 40 > buf.length) throw new PeFormatError('section table runs past the end of the file');
  const sections: PeSection[] = [];
  for (let i = 0; i < count; i++) {
    const at = table + i * 40;
    const raw = buf.subarray(at, at + 8);
    const end = raw.indexOf(0);
    sections.push({
      name: raw.toString('latin1', 0, end < 0 ? 8 : end),
      virtualSize: buf.readUInt32LE(at + 8),
      virtualAddress: buf.readUInt32LE(at + 12),
    });
  }
  return { imageBase, sectionAlignment, fileAlignment, sections, machine };
}

export const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

export interface NewSection {
  name: string;
  size: number;
}

/** Virtual addresses (image base included, as objcopy --change-section-vma wants) for sections appended in order. */
export function placeSections(info: PeInfo, added: NewSection[]): { name: string; vma: number }[] {
  const align = info.sectionAlignment || 0x1000;
  let end = Math.max(0, ...info.sections.map((s) => s.virtualAddress + s.virtualSize));
  const placed: { name: string; vma: number }[] = [];
  for (const s of added) {
    const rva = alignUp(end, align);
    placed.push({ name: s.name, vma: info.imageBase + rva });
    end = rva + Math.max(s.size, 1);
  }
  return placed;
}

/** The PE image checksum (the algorithm of Windows' CheckSumMappedFile), with its own field counted as 0. */
export function peChecksum(buf: Buffer, checksumAt: number): number {
  let sum = 0;
  for (let i = 0; i < buf.length; i += 2) {
    if (i === checksumAt || i === checksumAt + 2) continue;
    const word = i + 1 < buf.length ? buf.readUInt16LE(i) : buf[i]!;
    sum += word;
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  sum = (sum & 0xffff) + (sum >>> 16);
  return (sum + buf.length) >>> 0;
}

/**
 * Sets the COFF header's TimeDateStamp (objcopy writes the current time there) and, when the
 * image carries a checksum, recomputes it; returns the new bytes.
 */
export function stampPe(buf: Buffer, seconds: number): Buffer {
  readPe(buf);
  const out = Buffer.from(buf);
  const coff = out.readUInt32LE(0x3c) + 4;
  out.writeUInt32LE(seconds >>> 0, coff + 4);
  const checksumAt = coff + 20 + 64;
  if (out.readUInt32LE(checksumAt) !== 0) out.writeUInt32LE(peChecksum(out, checksumAt), checksumAt);
  return out;
}
