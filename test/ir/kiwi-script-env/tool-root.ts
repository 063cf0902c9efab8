/**
 * A small root for running imgc's /.kconfig in a real chroot: the mini root of the executor
 * tests (dash as /bin/sh) plus the host's copies of the few tools the helpers call, and fake
 * `systemctl` and `rpm` that log their arguments to /calls.log.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeMiniRoot } from '../../exec/mini-backend.js';

export const HELPER_TOOLS = [
  'ln',
  'mkdir',
  'rm',
  'cat',
  'awk',
  'sed',
  'head',
  'tr',
  'date',
  'grep',
  'find',
  'mktemp',
  'chmod',
  'chown',
];

function copyWithLibraries(tree: string, tool: string): void {
  const host = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
  const paths = [host];
  for (const line of execFileSync('ldd', [realpathSync(host)], { encoding: 'utf8' }).split('\n')) {
    const lib = /(\/\S+) \(0x/.exec(line)?.[1];
    if (lib) paths.push(lib);
  }
  for (const p of paths) {
    mkdirSync(join(tree, dirname(p)), { recursive: true });
    copyFileSync(realpathSync(p), join(tree, p));
  }
}

/** The tools in the tree with their libraries; a fake program logs `<name> <args>` to /calls.log. */
export function makeToolRoot(tree: string, tools = HELPER_TOOLS, fakes = ['systemctl']): void {
  makeMiniRoot(tree);
  for (const tool of tools) copyWithLibraries(tree, tool);
  mkdirSync(join(tree, 'usr/local/bin'), { recursive: true });
  for (const fake of fakes)
    writeFileSync(join(tree, 'usr/local/bin', fake), `#!/bin/sh\necho "${fake} $*" >>/calls.log\n`, {
      mode: 0o755,
    });
}

export const TOOL_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';
