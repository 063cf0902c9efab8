/** man/imgc.1: generated from the command tree, current, and clean for groff and mandoc. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { programModel, valueSources } from '../../src/cli/command-model.js';
import { buildProgram } from '../../src/cli/main.js';
import { manPage } from '../../src/cli/manpage.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { repoRoot } from '../helpers/shared.js';

const page = join(repoRoot, 'man/imgc.1');
const committed = readFileSync(page, 'utf8');
const registry = new FormatRegistry();
const model = programModel(buildProgram(undefined, registry).program, valueSources(registry));

describe('man/imgc.1', () => {
  it('is what the command tree generates (run `npm run man`)', () => {
    const date = /^\.TH IMGC 1 "([^"]+)"/.exec(committed)?.[1];
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(committed).toBe(manPage(model, date!));
  });

  it('names every command and option', () => {
    for (const c of model.commands) {
      expect(committed).toContain(`.SS\n${c.name.replace(/-/g, '\\-')}`);
      for (const o of c.options) expect(committed).toContain(`\\fB${o.long!.replace(/-/g, '\\-')}\\fR`);
    }
  });

  it('is shipped: package.json names it and its folder', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    expect(pkg.man).toEqual(['./man/imgc.1']);
    expect(pkg.files).toContain('man');
  });

  it('formats without a warning in groff (-ww) and mandoc -Tlint', () => {
    const groff = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', page], { encoding: 'utf8' });
    expect(groff.status).toBe(0);
    expect(groff.stderr).toBe('');
    const mandoc = spawnSync('mandoc', ['-Tlint', page], { encoding: 'utf8' });
    expect(mandoc.error, 'mandoc is not installed: scripts/host-packages.txt lists it').toBeUndefined();
    expect(mandoc.stdout + mandoc.stderr).toBe('');
    expect(mandoc.status).toBe(0);
  });

  it('reads as a man page through man -l', () => {
    const r = spawnSync('man', ['-l', page], {
      encoding: 'utf8',
      env: { ...process.env, MANWIDTH: '80', PAGER: 'cat' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^NAME\n\s+imgc\s+-\s+\S/m);
    expect(r.stdout).toMatch(/^EXIT STATUS/m);
  });
});
