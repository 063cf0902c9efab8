/**
 * `imgc completion bash|zsh|fish`, from the built CLI: each script passes its shell's own
 * syntax check, and bash's and fish's completion machinery answer with what the registries hold.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_OPTION_KEYS } from '../../src/cli/format-option-keys.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { OUTPUT_TYPES } from '../../src/ir/schema.js';
import { buildableOutputs } from '../../src/plan/planner.js';
import { ensureBuiltCli, runImgc } from '../helpers/built-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'imgc-completion-'));
const scripts: Record<string, string> = {};
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

beforeAll(() => {
  ensureBuiltCli();
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = runImgc(['completion', shell]);
    expect(r.code, r.stderr).toBe(0);
    scripts[shell] = join(scratch, `imgc.${shell}`);
    writeFileSync(scripts[shell]!, r.stdout);
  }
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const readable = new FormatRegistry()
  .list()
  .filter((f) => f.reader)
  .map((f) => f.id);

describe('imgc completion', () => {
  it('exits 2 for a shell it has no script for', () => {
    const r = runImgc(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('IMGC9037');
  });

  it.each(['bash', 'zsh', 'fish'])('%s accepts the script’s syntax (-n)', (shell) => {
    if (!has(shell)) throw new Error(`${shell} is not installed: scripts/host-packages.txt lists it`);
    const r = spawnSync(shell, ['-n', scripts[shell]!], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  /** What bash's completion function answers for the words of a command line (the last one being completed). */
  function bashComplete(...words: string[]): string[] {
    const line = words.map((w) => `'${w}'`).join(' ');
    const program = `source '${scripts.bash}'
COMP_WORDS=(${line}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
_imgc imgc "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['--norc', '-c', program], { encoding: 'utf8', cwd: scratch });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.split('\n').filter(Boolean);
  }

  it('bash registers the function for imgc', () => {
    const r = spawnSync('bash', ['--norc', '-c', `source '${scripts.bash}'; complete -p imgc`], {
      encoding: 'utf8',
    });
    expect(r.stdout.trim()).toBe('complete -F _imgc imgc');
  });

  it('bash completes commands, then each command’s options', () => {
    expect(bashComplete('imgc', '')).toEqual(
      expect.arrayContaining(['inspect', 'translate', 'build', 'list', 'completion', 'init', 'plugins']),
    );
    expect(bashComplete('imgc', 'tr')).toEqual(['translate']);
    expect(bashComplete('imgc', 'translate', 'x', '--s')).toEqual(['--strict']);
    expect(bashComplete('imgc', 'plugins', '')).toEqual(['list']);
  });

  it('bash completes flag values from the registries', () => {
    expect(bashComplete('imgc', 'inspect', '--from', '').sort()).toEqual([...readable].sort());
    expect(bashComplete('imgc', 'build', '--output', '')).toEqual([...buildableOutputs]);
    expect(bashComplete('imgc', 'translate', 'x', '--output', '')).toEqual([...OUTPUT_TYPES]);
    expect(bashComplete('imgc', 'plan', 'x', '-O', '')).toEqual(FORMAT_OPTION_KEYS.map((k) => `${k.key}=`));
    expect(bashComplete('imgc', 'list', '')).toEqual(['distros', 'outputs', 'formats', 'options']);
    expect(bashComplete('imgc', 'init', '--distro', 'debian:b')).toEqual(
      expect.arrayContaining(['debian:bookworm', 'debian:bullseye']),
    );
    // as bash splits the words by default (COMP_WORDBREAKS holds ':'): the part after the colon
    expect(bashComplete('imgc', 'init', '--distro', 'debian', ':', 'bo')).toEqual(['bookworm']);
    expect(bashComplete('imgc', 'init', '--distro', 'fedora', ':')).toEqual(
      expect.arrayContaining(['41', 'rawhide']),
    );
    expect(bashComplete('imgc', 'inspect', '--distro', 'debian', ':', '12', '--fr')).toEqual(['--from']);
  });

  it('bash skips flag values when it looks for the command and completes files for paths', () => {
    writeFileSync(join(scratch, 'mine.ks'), '');
    expect(bashComplete('imgc', '--plugin', 'p', 'inspect', '--fr')).toEqual(['--from']);
    expect(bashComplete('imgc', 'validate', 'mi')).toEqual(['mine.ks']);
  });

  it('zsh registers it with compinit', () => {
    if (!has('zsh')) throw new Error('zsh is not installed: scripts/host-packages.txt lists it');
    const r = spawnSync(
      'zsh',
      [
        '-f',
        '-c',
        `autoload -U compinit; compinit -u -D; source '${scripts.zsh}'; print -r -- $_comps[imgc]`,
      ],
      { encoding: 'utf8', env: { ...process.env, ZDOTDIR: scratch } },
    );
    expect(r.stdout.trim(), r.stderr).toBe('_imgc');
  });

  it('zsh lists the completions of a real interactive zsh (zpty, Tab)', () => {
    if (!has('zsh')) throw new Error('zsh is not installed: scripts/host-packages.txt lists it');
    const fpath = join(scratch, 'zfunc');
    mkdirSync(fpath, { recursive: true });
    copyFileSync(scripts.zsh!, join(fpath, '_imgc'));
    const typed = (line: string) => `zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1='%% '; fpath=(${fpath} \\$fpath); autoload -U compinit; compinit -u -D; print READY"
zpty -r z out '*READY*' || exit 3
zpty -n -w z $'${line}\\t'
all=
for i in {1..50}; do
  zpty -r -t z chunk && all+=$chunk
  listed=1
  for w in "$@"; do [[ $all == *"$w"* ]] || listed=; done
  [[ -n $listed ]] && break
  sleep 0.1
done
print -r -- "$all"
zpty -d z`;
    // waits until every expected word is listed (zsh lays them out in sorted columns)
    const complete = (line: string, expected: readonly string[]) => {
      const r = spawnSync('zsh', ['-f', '-c', typed(line), 'zsh', ...expected], {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, ZDOTDIR: scratch, TERM: 'dumb' },
      });
      // the terminal's escape sequences out, then the words zsh listed or inserted
      return r.stdout.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, ' ').split(/\s+/);
    };
    expect(complete('imgc inspect --from ', readable)).toEqual(expect.arrayContaining(readable));
    expect(complete('imgc build --output ', buildableOutputs)).toEqual(
      expect.arrayContaining([...buildableOutputs]),
    );
  });

  it('fish completes commands and flag values (complete -C)', () => {
    if (!has('fish')) throw new Error('fish is not installed: scripts/host-packages.txt lists it');
    const fish = (line: string) => {
      const r = spawnSync('fish', ['--no-config', '-c', `source '${scripts.fish}'; complete -C '${line}'`], {
        encoding: 'utf8',
        cwd: scratch,
      });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]);
    };
    expect(fish('imgc ')).toEqual(expect.arrayContaining(['inspect', 'translate', 'init', 'completion']));
    expect(fish('imgc inspect --from ').sort()).toEqual([...readable].sort());
    expect(fish('imgc plan x --output ').sort()).toEqual([...buildableOutputs].sort());
  });
});
