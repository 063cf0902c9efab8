import { describe, expect, it } from 'vitest';
import { commandStatus, parseArgs, resolveVersion } from '../../../../src/formats/kickstart/versions.js';
import { codes, readText } from './helpers.js';

const words = (...values: string[]) => values.map((value, i) => ({ value, raw: value, column: i + 1 }));

describe('kickstart version handlers', () => {
  it('resolves version names', () => {
    expect(resolveVersion('f43')).toBe('F43');
    expect(resolveVersion('RHEL-9')).toBe('RHEL9');
    expect(resolveVersion('rocky10')).toBe('RHEL10');
    expect(resolveVersion('DEVEL')).toBe('F45');
    expect(resolveVersion('F38')).toBe('F38');
    expect(resolveVersion('centos-6')).toBe('RHEL6');
    expect(resolveVersion('F6')).toBeUndefined();
    expect(resolveVersion('RHEL4')).toBeUndefined();
    expect(resolveVersion('F46')).toBeUndefined();
  });

  it('knows where commands exist, are deprecated or removed (matrix facts)', () => {
    expect(commandStatus('RHEL9', 'bootc').status).toBe('unknown');
    expect(commandStatus('F43', 'bootc').status).toBe('ok');
    expect(commandStatus('RHEL10', 'bootc').status).toBe('ok');
    expect(commandStatus('RHEL9', 'btrfs').status).toBe('deprecated');
    expect(commandStatus('RHEL10', 'btrfs').status).toBe('removed');
    expect(commandStatus('F43', 'module').status).toBe('deprecated');
    expect(commandStatus('F45', 'module').status).toBe('removed');
    expect(commandStatus('RHEL8', 'module').status).toBe('ok');
    expect(commandStatus('F43', 'auth').status).toBe('removed');
    expect(commandStatus('RHEL7', 'upgrade').status).toBe('deprecated');
    expect(commandStatus('F39', 'upgrade').status).toBe('unknown');
  });

  it('parses options as argparse does', () => {
    const status = commandStatus('F43', 'part');
    if (status.status !== 'ok') throw new Error('part exists');
    const { args, problems } = parseArgs(
      status.spec,
      words('/', '--size', '512', '--type=xfs', '--grow', '--mkfsoptions', '-m bigtime'),
    );
    expect(problems).toEqual([]);
    expect(args.positionals.map((w) => w.value)).toEqual(['/']);
    expect(args.options.map((o) => [o.name, o.value])).toEqual([
      ['--size', '512'],
      ['--fstype', 'xfs'],
      ['--grow', undefined],
      ['--mkfsoptions', '-m bigtime'],
    ]);
  });

  it('accepts unique prefixes and reports ambiguous or unknown ones', () => {
    const status = commandStatus('F43', 'firewall');
    if (status.status !== 'ok') throw new Error('firewall exists');
    expect(parseArgs(status.spec, words('--use-system')).problems).toEqual([]);
    expect(parseArgs(status.spec, words('--bogus')).problems.map((p) => p.kind)).toEqual(['unknown-option']);
  });

  it('reports version differences with positions', () => {
    const rhel10 = readText('timezone Europe/Prague --isUtc\n', 'RHEL10');
    expect(rhel10.diagnostics).toMatchObject([{ code: 'IMGC5006', severity: 'error', line: 1, column: 24 }]);
    const f43 = readText('timezone Europe/Prague --isUtc\n', 'F43');
    expect(codes(f43)).toEqual(['IMGC5007']);
    expect(f43.ir!.system.utc).toBe(true);
    expect(codes(readText('bootc --source-imgref=registry:quay.io/x\n', 'RHEL9'))).toEqual(['IMGC5003']);
    expect(codes(readText('btrfs none --data=0 btrfs.01\n', 'RHEL10'))).toEqual(['IMGC5004']);
    expect(codes(readText('btrfs none --data=0 btrfs.01\n', 'RHEL9'))).toEqual(['IMGC5005']);
    expect(codes(readText('%packages --ignorebroken\n%end\n', 'RHEL9'))).toEqual(['IMGC5006']);
    expect(codes(readText('%packages --ignorebroken\n%end\n', 'F43'))).toEqual([]);
  });

  it('notes a #version= comment that differs from the version read with, without obeying it', () => {
    expect(readText('#version=RHEL9\nlang C\n', 'F43').diagnostics).toMatchObject([
      { code: 'IMGC5025', severity: 'info', line: 1 },
    ]);
    expect(codes(readText('#version=DEVEL\nlang C\n', 'F45'))).toEqual([]);
  });

  it('rejects an unknown --ks-version', () => {
    expect(codes(readText('lang C\n', 'F6'))).toEqual(['IMGC5020']);
  });
});
