import { describe, expect, it } from 'vitest';
import { kiwiEnvUsage, usesKiwiEnv } from '../../../src/ir/kiwi-script-env/index.js';

describe('kiwiEnvUsage', () => {
  it('finds the sourced files, the helper calls and the kiwi_ variables with their first position', () => {
    const u = kiwiEnvUsage(
      [
        '#!/bin/bash',
        'test -f /.kconfig && . /.kconfig',
        'test -f /.profile && . /.profile',
        'echo "Configure image: [$kiwi_iname]..."',
        'suseInsertService sshd',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text
        'if [ "${kiwi_profiles}" = kvm ]; then baseSetRunlevel 3; fi',
        'suseInsertService cron',
        'svc=$(baseSystemdServiceInstalled foo)',
      ].join('\n'),
    );
    expect(u.sourcesKconfig).toBe(true);
    expect(u.sourcesProfile).toBe(true);
    expect(u.functions).toEqual([
      { name: 'suseInsertService', line: 5, column: 1 },
      { name: 'baseSetRunlevel', line: 6, column: 39 },
      { name: 'baseSystemdServiceInstalled', line: 8, column: 7 },
    ]);
    expect(u.variables).toEqual([
      { name: 'kiwi_iname', line: 4, column: 25 },
      { name: 'kiwi_profiles', line: 6, column: 7 },
    ]);
  });

  it('ignores comments, words in other positions and longer names', () => {
    const u = kiwiEnvUsage(
      [
        '# suseInsertService sshd and . /.kconfig',
        'echo baseSetRunlevel # baseMount',
        'zypper ar "Leap-Debug" repo-debug',
        'mybaseSetRunlevel 3',
        'baseSetRunlevel_x=1',
      ].join('\n'),
    );
    expect(usesKiwiEnv(u)).toBe(false);
  });

  it('does not take a # inside quotes for a comment', () => {
    const u = kiwiEnvUsage('echo "#1"; suseRemoveService x');
    expect(u.functions.map((f) => f.name)).toEqual(['suseRemoveService']);
  });
});
