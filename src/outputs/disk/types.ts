/** The contract between the build executor and the disk assembler (`assembleDisk`). */
import type { Boot, Storage } from '../../ir/schema.js';

export interface DiskRequest {
  tree: string; // the finished root tree (kernel + initrd in /boot, systemd-boot EFI binary installed)
  output: string; // path of the raw image to write (the executor renames it into place)
  workDir: string; // scratch space, removed by the executor
  storage?: Storage; // IR storage (partitions, sizes); absent = ESP + ext4 root, sized with headroom
  boot?: Boot; // IR boot (firmware, bootloader)
  cmdline: string[]; // kernel command line (root= is added by assembleDisk)
  os: { id: string; versionId?: string; prettyName?: string };
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface DiskResult {
  output: string;
  sizeBytes: number;
  partitions: { role: string; uuid: string; start: number; size: number }[];
}
