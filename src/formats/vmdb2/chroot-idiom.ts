/** Reads the one-command chroot steps of ./idioms.ts back into the IR: the reader lowers them, the writer checks what will read back. */
import type { PositionTable, SourcePosition } from '../../ir/positions.js';
import type { ImageIR } from '../../ir/schema.js';
import { HOSTNAME_FILE, parseUseradd, SERVICE_VERBS, shellWords } from './idioms.js';

/** True when `body` was one of the writer's commands and is now in the IR. */
export function lowerChrootIdiom(
  body: string,
  at: SourcePosition,
  ir: ImageIR,
  positions: PositionTable,
): boolean {
  const line = body.replace(/\n$/, '');
  if (line.includes('\n')) return false;
  const hostname = new RegExp(`^echo ([A-Za-z0-9.-]+) > ${HOSTNAME_FILE}$`).exec(line);
  if (hostname) {
    ir.system.hostname = hostname[1]!;
    positions['/system/hostname'] = at;
    return true;
  }
  const words = shellWords(line);
  if (!words || words.length < 2) return false;
  if (words[0] === 'ln' && words[1] === '-sf' && words.length === 4) {
    positions[`/symlinks/${ir.symlinks.length}`] = at;
    ir.symlinks.push({ target: words[2]!, path: words[3]! });
    return true;
  }
  const verb = SERVICE_VERBS.find((v) => v === words[1]);
  if (words[0] === 'systemctl' && verb && words.length > 2) {
    for (const unit of words.slice(2)) {
      positions[`/system/services/${verb}/${ir.system.services[verb].length}`] = at;
      ir.system.services[verb].push(unit);
    }
    return true;
  }
  const user = parseUseradd(words);
  if (!user) return false;
  const index = ir.accounts.users.length;
  ir.accounts.users.push({
    name: user.name,
    groups: user.groups,
    sshKeys: [],
    ...(user.uid !== undefined ? { uid: user.uid } : {}),
    ...(user.description !== undefined ? { description: user.description } : {}),
    ...(user.home !== undefined ? { home: user.home } : {}),
    ...(user.shell !== undefined ? { shell: user.shell } : {}),
    ...(user.hash !== undefined ? { password: { hash: user.hash } } : {}),
  });
  positions[`/accounts/users/${index}`] = at;
  return true;
}
