import { defineCodes } from '../define.js';

/** IMGC7800–7819: the initrd cache and initrd profiles (src/outputs/initrd). */
export const initrdCodes = defineCodes({
  vmProfile: {
    code: 'IMGC7800',
    severity: 'info',
    summary: 'the initrd is made with the vm profile: QEMU/KVM guest drivers only',
    message: (p: { generator: string; drivers: string }) =>
      `the initrd (${p.generator}) holds only the drivers a QEMU/KVM guest needs to mount its root: ${p.drivers}; it will not boot a machine whose disk or root filesystem needs another driver`,
    hint: 'add drivers with system.initrd.drivers, or drop system.initrd.profile for an initrd with every storage driver',
  },
});
