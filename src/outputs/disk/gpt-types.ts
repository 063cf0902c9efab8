/**
 * GPT partition type GUIDs from the Discoverable Partitions Specification (uapi-group), so that
 * systemd-gpt-auto-generator can find root, swap, /home, /srv, /var and /tmp without an fstab.
 */
import { lookupTable } from '../../lib/lookup-table.js';
export type DiskArch = 'x86_64' | 'aarch64';

const rootTypes: Record<DiskArch, string> = {
  x86_64: '4f68bce3-e8cd-4db1-96e7-fbcaf984b709',
  aarch64: 'b921b045-1df0-41c3-af44-4c6f280d3fae',
};

const usrTypes: Record<DiskArch, string> = {
  x86_64: '8484680c-9521-48c6-9c11-b0720656f69e',
  aarch64: 'b0e01050-ee5f-4390-949a-9101b17104e9',
};

const fixedTypes: Record<string, string> = lookupTable({
  esp: 'c12a7328-f81f-11d2-ba4b-00a0c93ec93b',
  xbootldr: 'bc13c2ff-59e6-4262-a352-b275fd6f7172',
  'bios-boot': '21686148-6449-6e6f-744e-656564454649',
  swap: '0657fd6d-a4ab-43c4-84e5-0933c84b4f4f',
  home: '933ac7e1-2eb4-4f13-b844-0e14e2aef915',
  srv: '3b8f8425-20e0-4f3b-907f-1a25a76f98e8',
  var: '4d21b016-b534-45c2-a9fb-5c16e091fd2d',
  tmp: '7ec6f557-3bc5-4aca-b293-16ef5df639d1',
  data: '0fc63daf-8483-4772-8e79-3d69d8477de4',
});

export function gptType(role: string, arch: DiskArch): string {
  if (role === 'root') return rootTypes[arch];
  if (role === 'usr') return usrTypes[arch];
  return fixedTypes[role] ?? fixedTypes.data!;
}

/** The role a known type GUID stands for (any architecture), or undefined. */
export function roleOfType(typeUuid: string): string | undefined {
  const t = typeUuid.toLowerCase();
  for (const arch of Object.keys(rootTypes) as DiskArch[]) {
    if (rootTypes[arch] === t) return 'root';
    if (usrTypes[arch] === t) return 'usr';
  }
  return Object.entries(fixedTypes).find(([role, guid]) => guid === t && role !== 'data')?.[0];
}
