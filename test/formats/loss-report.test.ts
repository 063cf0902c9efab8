/** The text form of the loss report: sections, summaries, hints once per code, short values. */
import { describe, expect, it } from 'vitest';
import { translateCodes } from '../../src/diagnostics/codes/translate.js';
import { diag } from '../../src/diagnostics/define.js';
import {
  groupLosses,
  lossSection,
  lossSummaryLine,
  renderLossReport,
} from '../../src/formats/loss-report.js';
import { previewValue } from '../../src/formats/shared/preview-value.js';

const file = '/src/appliance.kiwi';
const lost = (pointer: string, line?: number, value = '"x"') =>
  diag(
    translateCodes.loss,
    { pointer, target: 'mkosi', value },
    line === undefined ? undefined : { file, line, column: 5 },
    { pointer, source: 'translate' },
  );
const approximated = (pointer: string, line: number) =>
  diag(
    translateCodes.lossDetail,
    { pointer, target: 'mkosi', detail: 'close' },
    { file, line, column: 3 },
    {
      pointer,
    },
  );
const assumed = diag(
  translateCodes.assumedDefault,
  { field: '/distribution/id', value: 'fedora', from: '--distro' },
  undefined,
  { pointer: '/distribution/id' },
);
const unrelated = { code: 'IMGC2001', severity: 'warning' as const, message: 'read warning', file, line: 1 };

const sample = [
  lost('/repositories/0/usage', 60),
  lost('/packages/bootstrap/0', 129),
  lost('/packages/bootstrap/1', 130),
  approximated('/outputs/0/type', 29),
  lost('/extensions/kiwi'),
  assumed,
  unrelated,
];

describe('loss report', () => {
  it('groups by the IR section of the pointer, sections in source order, unlocated ones last', () => {
    const groups = groupLosses(sample);
    expect(groups.map((g) => [g.section, g.lost, g.approximated, g.assumed])).toEqual([
      ['outputs', 0, 1, 0],
      ['repositories', 1, 0, 0],
      ['packages', 2, 0, 0],
      ['extensions', 1, 0, 0],
      ['distribution', 0, 0, 1],
    ]);
    expect(groups.flatMap((g) => g.diagnostics)).not.toContain(unrelated);
    expect(lossSection({ code: 'IMGC6004', severity: 'warning', message: '' })).toBe('image');
  });

  it('sums up the run in one line, counting sections with losses', () => {
    expect(lossSummaryLine(sample, 'mkosi')).toBe(
      'mkosi: 4 fields lost in 3 sections, 1 approximated, 1 assumed',
    );
    expect(lossSummaryLine([approximated('/boot/firmware', 3)], 'mkosi')).toBe(
      'mkosi: nothing lost, 1 approximated, 0 assumed',
    );
    expect(lossSummaryLine([unrelated], 'kiwi')).toBe('kiwi: nothing lost');
  });

  it('prints each section with its tally, positions in the main file as line:column, and each hint once', () => {
    const text = renderLossReport(sample, 'mkosi', { cwd: '/src' });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'loss report, appliance.kiwi → mkosi: 4 fields lost in 3 sections, 1 approximated, 1 assumed',
    );
    expect(lines).toContain('  packages: 2 lost');
    expect(lines).toContain(
      '    129:5: IMGC6001 mkosi cannot express /packages/bootstrap/0 = "x"; it is not written',
    );
    expect(lines).toContain('    IMGC6001 mkosi cannot express /extensions/kiwi = "x"; it is not written');
    expect(text).not.toContain('read warning');
    const hints = lines.slice(lines.indexOf('  hints:') + 1);
    expect(hints.map((h) => h.trim().split(':')[0])).toEqual(['IMGC6001', 'IMGC6002', 'IMGC6003']);
  });

  it('names another file in full where a diagnostic lies outside the main one', () => {
    const other = { ...lost('/scripts/0', 1), file: '/src/config.sh' };
    const text = renderLossReport([lost('/a', 1), lost('/b', 2), other], 'mkosi', { cwd: '/src' });
    expect(text).toContain('    config.sh:1:5: IMGC6001');
    expect(text).toContain('    2:5: IMGC6001');
  });

  it('has a hint for every translate code in the catalogue', () => {
    for (const def of Object.values(translateCodes)) expect(def.hint, def.code).toBeTruthy();
  });
});

describe('values in the report', () => {
  it('shows a named item by its name and a string by its first line', () => {
    expect(previewValue({ name: 'udev' })).toBe('"udev"');
    expect(previewValue({ name: 'vim', arch: 'x86_64' })).toBe('"vim" (+1 field)');
    expect(previewValue('#!/bin/sh\nset -e\necho hi\n')).toBe('"#!/bin/sh" (+3 lines)');
  });

  it('shows objects by their keys and lists by their first items, never a raw blob', () => {
    const blob = { children: { preferences: [{ a: 1 }] }, attrs: {}, sections: [], typePackages: 1, more: 2 };
    expect(previewValue(blob)).toBe('{children, attrs, sections, typePackages, +1 more}');
    expect(previewValue(['a', 'b', 'c', 'd', 'e'])).toBe('["a", "b", "c", +2 more]');
    expect(previewValue(true)).toBe('true');
    expect(previewValue({ min: 1024, max: 2048 })).toBe('{min: 1024, max: 2048}');
  });

  it('caps every value at 60 characters with an ellipsis', () => {
    const long = previewValue('x'.repeat(200));
    expect(long).toHaveLength(60);
    expect(long.endsWith('…')).toBe(true);
    expect(previewValue({ description: 'y'.repeat(500), other: 1 }).length).toBeLessThanOrEqual(60);
  });
});
