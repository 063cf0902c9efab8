import { describe, expect, it } from 'vitest';
import { dracutConf, driversOf, initramfsConf } from '../../../src/outputs/initrd/index.js';
import { VM_PROFILE_DRIVERS } from '../../../src/outputs/initrd/vm-profile.js';
import type { StepOptions } from '../../../src/plan/steps.js';

const options = (extra: Partial<StepOptions<'make-initrd'>> = {}): StepOptions<'make-initrd'> => ({
  generator: 'initramfs-tools',
  compression: 'zstd',
  modules: [],
  omitModules: [],
  drivers: ['virtio_net'],
  ...extra,
});
const vm = { profile: 'vm' as const, vmDrivers: VM_PROFILE_DRIVERS };

describe('the vm initrd profile in the generators configuration', () => {
  it('sets MODULES=list in initramfs.conf, replacing MODULES=most where it stands', () => {
    const conf = 'MODULES=most\nBUSYBOX=auto\nCOMPRESS=gzip\n';
    expect(initramfsConf(conf, 'zstd', 'vm')).toBe('MODULES=list\nBUSYBOX=auto\nCOMPRESS=zstd\n');
    expect(initramfsConf(conf, 'zstd')).toBe('MODULES=most\nBUSYBOX=auto\nCOMPRESS=zstd\n');
    expect(initramfsConf('', 'gzip', 'vm')).toBe('\nCOMPRESS=gzip\nMODULES=list\n');
  });

  it('lists the guest drivers, then the definition s own, once each', () => {
    expect(driversOf(options(vm))).toEqual([...VM_PROFILE_DRIVERS, 'virtio_net']);
    expect(driversOf(options({ ...vm, drivers: ['ext4'] }))).toEqual(VM_PROFILE_DRIVERS);
    expect(driversOf(options())).toEqual(['virtio_net']);
  });

  it('gives dracut the exclusive drivers= list for the profile, add_drivers+= otherwise', () => {
    const withVm = dracutConf(options({ ...vm, generator: 'dracut' }));
    expect(withVm).toContain(`drivers+=" ${[...VM_PROFILE_DRIVERS, 'virtio_net'].join(' ')} "`);
    expect(withVm).not.toContain('add_drivers');
    expect(dracutConf(options({ generator: 'dracut' }))).toContain('add_drivers+=" virtio_net "');
  });
});
