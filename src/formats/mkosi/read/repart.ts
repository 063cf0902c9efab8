/**
 * systemd-repart definitions (`mkosi.repart/*.conf`) → IR partitions. Keys without an IR
 * field, and values the IR can only approximate, are returned as `extra` so that the writer
 * can reproduce the file.
 */

import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendToField } from '../../../input/append.js';
import { InputRejected, readInputTextSync } from '../../../input/bounded.js';
import type { Partition } from '../../../ir/schema.js';
import { lookupTable } from '../../../lib/lookup-table.js';
import { mkosiCodes } from '../codes.js';
import { GENERIC_TYPE, REPART_ROLES, ROLE_TO_REPART_TYPE } from '../vocabulary.js';
import { parseUnitIni } from './unit-ini.js';

export const REPART_KEYS_LOWERED = [
  'Type',
  'Label',
  'Format',
  'SizeMinBytes',
  'SizeMaxBytes',
  'CopyFiles',
  'Minimize',
  'ReadOnly',
  'UUID',
];

export function roleOfType(type: string): Partition['role'] | undefined {
  if (REPART_ROLES[type]) return REPART_ROLES[type];
  const m = /^(root|usr)-[a-z0-9-]+?(-verity)?(-sig)?$/.exec(type);
  if (m && !m[3]) return m[2] ? (`${m[1]}-verity` as Partition['role']) : (m[1] as Partition['role']);
  if (type.toLowerCase() === '21686148-6449-6e6f-744e-656564454649') return 'bios-boot';
  return undefined;
}

function bytes(v: string): number | undefined {
  const m = /^(\d+)([KMGT]?)$/.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * ({ '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[m[2]!] ?? 1);
  // past 2^53 there is no exact byte count: kept as written instead (fuzz: IMGC1006)
  return Number.isSafeInteger(n) ? n : undefined;
}

export function parseRepartFile(
  file: string,
  diagnostics: Diagnostic[],
): { partition: Partition; extra: Record<string, string[]> } | undefined {
  let text: string;
  try {
    text = readInputTextSync(file);
  } catch (e) {
    if (e instanceof InputRejected) diagnostics.push(e.diagnostic({ file }));
    else
      diagnostics.push(diag(mkosiCodes.readFailed, { path: file, reason: (e as Error).message }, { file }));
    return undefined;
  }
  const partition: Partition = {};
  // keys are the file's (`constructor=` must not find Object's); values appended in place: a
  // copy per line made 121,921 lines of one key run for minutes (fuzz)
  const extra: Record<string, string[]> = lookupTable({});
  const keep = (k: string, v: string) => {
    const values = extra[k] ?? [];
    values.push(v);
    extra[k] = values;
  };
  for (const e of parseUnitIni(text).entries) {
    if (e.section !== 'Partition') {
      keep(`${e.section}/${e.key}`, e.value);
      continue;
    }
    switch (e.key) {
      case 'Type': {
        if (e.value === GENERIC_TYPE && !('Type' in extra)) break;
        const role = roleOfType(e.value);
        if (role) partition.role = role;
        else if (/^[0-9a-f-]{36}$/i.test(e.value)) partition.typeUuid = e.value;
        if (!role || ROLE_TO_REPART_TYPE[role] !== e.value) keep('Type', e.value);
        break;
      }
      case 'Label':
        partition.name = e.value;
        break;
      case 'Format':
        partition.filesystem = e.value;
        break;
      case 'SizeMinBytes':
      case 'SizeMaxBytes': {
        const n = bytes(e.value);
        if (n === undefined || String(n) !== e.value) keep(e.key, e.value);
        if (n !== undefined)
          partition.size = { ...partition.size, [e.key === 'SizeMinBytes' ? 'min' : 'max']: n };
        break;
      }
      case 'CopyFiles':
        appendToField(partition, 'copyFiles', [e.value]);
        break;
      case 'Minimize': {
        const on = !/^(off|no|false|0)$/i.test(e.value);
        partition.minimize = on;
        if (e.value !== 'guess' && e.value !== 'off') keep('Minimize', e.value);
        break;
      }
      case 'ReadOnly': {
        partition.readOnly = /^(yes|true|1|on)$/i.test(e.value);
        if (!/^(yes|no)$/.test(e.value)) keep('ReadOnly', e.value);
        break;
      }
      case 'UUID':
        partition.uuid = e.value;
        break;
      case 'MountPoint':
        if (partition.mountpoint === undefined && !e.value.includes(':') && !extra.MountPoint)
          partition.mountpoint = e.value;
        else keep('MountPoint', e.value);
        break;
      default:
        keep(e.key, e.value);
    }
  }
  return { partition, extra };
}
