import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { inlineKiwiEnv, withoutInlinedEnv } from '../../../src/ir/kiwi-script-env/index.js';

const script = [
  '#!/bin/bash',
  'set -e',
  'test -f /.kconfig && . /.kconfig',
  '  [ -f /.profile ] && . /.profile # template',
  'Echo "image $kiwi_iname"',
  'Debug "not shown"',
].join('\n');

describe('inlineKiwiEnv', () => {
  it('makes a script that runs without /.kconfig and /.profile', () => {
    const { body, unrewritten } = inlineKiwiEnv(script, { kiwi_iname: 'leap' });
    expect(unrewritten).toEqual([]);
    expect(body.startsWith('#!/bin/bash\n# >>> imgc')).toBe(true);
    const r = spawnSync('bash', ['-c', body], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('-----> image leap\n');
    expect(r.status).toBe(0);
  });

  it('is undone exactly by withoutInlinedEnv, with or without a #! line', () => {
    expect(withoutInlinedEnv(inlineKiwiEnv(script, {}).body)).toBe(script);
    const bare = script.split('\n').slice(1).join('\n');
    const inlined = inlineKiwiEnv(bare, {}).body;
    expect(inlined.startsWith('#!/bin/bash\n')).toBe(true);
    expect(withoutInlinedEnv(inlined)).toBe(bare);
    expect(withoutInlinedEnv('#!/bin/sh\necho plain')).toBe('#!/bin/sh\necho plain');
  });

  it('lists the lines that source the files in a form it does not rewrite', () => {
    const { unrewritten } = inlineKiwiEnv('#!/bin/sh\nif true; then . /.kconfig; fi\n', {});
    expect(unrewritten).toEqual([2]);
  });
});
