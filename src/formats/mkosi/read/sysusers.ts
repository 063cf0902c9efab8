/**
 * sysusers.d files (in extra trees) → IR users and groups: `u name uid "GECOS" home shell`,
 * `g name gid`, `m user group`. Other line types are reported and skipped.
 */

import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { InputRejected, readInputTextSync } from '../../../input/bounded.js';
import type { PositionTable } from '../../../ir/positions.js';
import type { ImageIR, User } from '../../../ir/schema.js';
import { mkosiCodes } from '../codes.js';

/** split a sysusers line into fields, honouring double quotes */
export function sysusersFields(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2]!);
  return out;
}

const unset = (v: string | undefined) => v === undefined || v === '-';

export function parseSysusers(
  file: string,
  ir: ImageIR,
  positions: PositionTable,
  diagnostics: Diagnostic[],
): boolean {
  let text: string;
  try {
    text = readInputTextSync(file);
  } catch (e) {
    if (e instanceof InputRejected) diagnostics.push(e.diagnostic({ file }));
    return false;
  }
  let any = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const at = { file, line: i + 1, column: 1 };
    const [type, name, id, gecos, home, shell] = sysusersFields(line);
    if (!name) return;
    if (type === 'u' || type === 'u!') {
      const user: User = { name, groups: [], sshKeys: [] };
      if (!unset(id)) {
        const [uid, gid] = id!.split(':');
        if (/^\d+$/.test(uid!)) user.uid = Number(uid);
        if (gid && /^\d+$/.test(gid)) user.gid = Number(gid);
        else if (gid) user.primaryGroup = gid;
      }
      if (!unset(gecos)) user.description = gecos;
      if (!unset(home)) user.home = home;
      if (!unset(shell)) user.shell = shell;
      ir.accounts.users.push(user);
      positions[`/accounts/users/${ir.accounts.users.length - 1}`] = at;
      any = true;
    } else if (type === 'g') {
      const group: ImageIR['accounts']['groups'][number] = { name };
      if (!unset(id) && /^\d+$/.test(id!)) group.gid = Number(id);
      ir.accounts.groups.push(group);
      positions[`/accounts/groups/${ir.accounts.groups.length - 1}`] = at;
      any = true;
    } else if (type === 'm') {
      const user = ir.accounts.users.find((u) => u.name === name);
      if (user && id) {
        user.groups.push(id);
        any = true;
      } else
        diagnostics.push(
          diag(
            mkosiCodes.sysusers,
            { detail: `m ${name} ${id ?? ''}: no user ${name} declared before it` },
            at,
          ),
        );
    } else {
      diagnostics.push(
        diag(mkosiCodes.sysusers, { detail: `sysusers line type "${type}" is not lowered to accounts` }, at),
      );
    }
  });
  return any;
}
