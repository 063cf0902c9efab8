/** The qemu boot helpers live in src/boot/qemu.ts, where `imgc boot` uses them too. */
export * from '../../src/boot/qemu.js';
