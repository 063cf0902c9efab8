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
  /**
   * Reproducible build: every timestamp is `epoch`, and the disk, partition and filesystem ids
   * derive from `seed` (the step's hash) instead of being random.
   */
  reproducible?: { epoch: number; seed: string };
  /**
   * Runs once the partition table is written and before any filesystem is made from the tree:
   * what it changes in the tree lands in the image (the definition's chroot `disk` scripts).
   */
  beforeFilesystems?: (disk: DiskInfo) => Promise<void>;
  /** Runs when the raw image is complete, before the executor converts or commits it (host `disk` scripts). */
  afterFilesystems?: (disk: DiskInfo) => Promise<void>;
}

/** The image being assembled, as the disk hooks see it. */
export interface DiskInfo {
  /** the raw image file (a temporary name until the executor commits it) */
  image: string;
  sizeBytes: number;
  diskUuid: string;
  partitions: DiskPartitionInfo[];
}

export interface DiskPartitionInfo {
  number: number;
  role: string;
  filesystem: string;
  /** PARTUUID */
  uuid: string;
  /** filesystem UUID */
  fsUuid: string;
  /** byte offset in the image */
  start: number;
  /** bytes */
  size: number;
}

export interface DiskResult {
  output: string;
  sizeBytes: number;
  partitions: { role: string; uuid: string; start: number; size: number }[];
}
