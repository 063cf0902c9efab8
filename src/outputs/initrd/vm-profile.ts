/**
 * The `vm` initrd profile (docs/decisions/0141-vm-initrd-profile.md): instead of every storage
 * and filesystem driver (initramfs-tools MODULES=most), only what a QEMU/KVM guest needs to
 * find and mount its root. Modules these depend on (virtio, virtio_ring, scsi_mod, jbd2, ...)
 * come along through modules.dep.
 */
export const VM_PROFILE_DRIVERS = [
  // the virtio transports and disks (x86 q35/i440fx use PCI, the arm/riscv `virt` machines MMIO)
  'virtio_pci',
  'virtio_mmio',
  'virtio_blk',
  'virtio_scsi',
  // emulated disks: SCSI disks, NVMe, SATA (q35) and IDE (i440fx)
  'sd_mod',
  'nvme',
  'ahci',
  'ata_piix',
  // root filesystems imgc makes, with ext4's checksum
  'ext4',
  'xfs',
  'btrfs',
  'crc32c_generic',
];
