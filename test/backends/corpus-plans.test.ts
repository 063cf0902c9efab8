/**
 * Plan snapshots (nothing runs, no root) of real Fedora, RHEL-like, openSUSE and Arch
 * definitions from the corpus: what the dnf, zypper and pacman backends would do against the
 * real mirrors. Every matching corpus file is planned and counted; the first three of each
 * family are kept as reviewed golden files in golden/plan-<family>.json (UPDATE=1 rewrites them).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../src/backends/registry.js';
import { preparePlan } from '../../src/cli/plan.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { corpusDir, corpusMissingMessage, readManifest } from '../helpers/shared.js';

interface Family {
  name: string;
  format: 'kickstart' | 'kiwi' | 'mkosi';
  backend: string;
  rows: () => { file: string; distro: string; options?: Record<string, string> }[];
}

const ksGolden = (() => {
  const path = resolve(import.meta.dirname, '../conformance/kickstart-golden.json');
  return existsSync(path)
    ? (
        JSON.parse(readFileSync(path, 'utf8')) as {
          files: Record<string, { version?: string; includePath?: string[] }>;
        }
      ).files
    : {};
})();

function kickstartRows(match: (distro: string) => string | undefined) {
  const dir = corpusDir('kickstart');
  if (!dir) return [];
  return readManifest('kickstart')
    .filter((r) => !/fragment/.test(r.purpose ?? ''))
    .flatMap((r) => {
      const distro = match(r.distro ?? '');
      if (!distro) return [];
      const g = ksGolden[r.staged_path!];
      const options: Record<string, string> = {};
      if (g?.version) options.ksVersion = g.version;
      if (g?.includePath?.length) options.includePath = g.includePath.map((d) => join(dir, d)).join(':');
      return [{ file: join(dir, r.staged_path!), distro, options }];
    });
}

const families: Family[] = [
  {
    name: 'fedora',
    format: 'kickstart',
    backend: 'fedora',
    rows: () => kickstartRows((d) => (/^fedora( \(rawhide\/F43\))?$/.test(d) ? 'fedora:43' : undefined)),
  },
  {
    name: 'rhel-like',
    format: 'kickstart',
    backend: 'fedora',
    rows: () =>
      kickstartRows((d) => (/^(rocky|almalinux|rhel)-\d+$/.test(d) ? d.replace('-', ':') : undefined)),
  },
  {
    name: 'opensuse',
    format: 'kiwi',
    backend: 'suse',
    rows: () => {
      const dir = corpusDir('kiwi');
      if (!dir) return [];
      return readManifest('kiwi')
        .filter(
          (r) => /^openSUSE (Tumbleweed|Leap)$/.test(r['target-distro'] ?? '') && r['image-types'] !== '-',
        )
        .map((r) => ({
          file: join(dir, r.repo!.replace('/', '+'), r.path!),
          distro: r['target-distro'] === 'openSUSE Tumbleweed' ? 'opensuse-tumbleweed' : 'opensuse-leap:15.6',
        }));
    },
  },
  {
    name: 'arch',
    format: 'mkosi',
    backend: 'arch',
    rows: () => {
      const dir = corpusDir('mkosi');
      if (!dir) return [];
      const resources = join(dir, 'systemd+mkosi', 'mkosi', 'resources');
      return readManifest('mkosi')
        .filter((r) => r.distros === 'arch')
        .map((r) => ({ file: join(dir, r.path!), distro: 'arch', options: { mkosiResources: resources } }));
    },
  },
];

const shared = resolve(corpusDir('kickstart') ?? corpusDir('kiwi') ?? '/', '../..');
const relative = (text: string) => text.split(shared).join('<shared>');

describe('plan snapshots of corpus definitions', () => {
  for (const family of families) {
    const rows = family.rows();
    if (!rows.length) {
      console.warn(corpusMissingMessage(family.format));
      it.skip(`${family.name}: corpus absent`, () => {});
      continue;
    }
    it(`${family.name}: plans every ${family.format} definition, snapshots the first three`, async () => {
      const formats = new FormatRegistry();
      const backends = new BackendRegistry();
      const counts = { files: rows.length, planned: 0, withErrors: 0, crashes: 0 };
      const errorCodes: Record<string, number> = {};
      const snapshots: unknown[] = [];
      for (const [i, row] of rows.entries()) {
        let prepared: Awaited<ReturnType<typeof preparePlan>>;
        try {
          prepared = await preparePlan(
            formats,
            row.file,
            {
              distro: row.distro,
              output: ['directory'],
              formatOption: Object.entries(row.options ?? {}).map(([k, v]) => `${k}=${v}`),
            },
            backends,
          );
        } catch (e) {
          counts.crashes++;
          console.log(`CRASH ${row.file}: ${String(e)}`);
          continue;
        }
        const errors = prepared.diagnostics.filter((d) => d.severity === 'error');
        if (prepared.plan && !errors.length) {
          counts.planned++;
          expect(prepared.plan.backend).toBe(family.backend);
        } else {
          counts.withErrors++;
          for (const d of errors) errorCodes[d.code] = (errorCodes[d.code] ?? 0) + 1;
        }
        if (i < 3) {
          snapshots.push(
            JSON.parse(
              relative(
                JSON.stringify({
                  source: row.file,
                  distro: row.distro,
                  diagnostics: prepared.diagnostics
                    .filter((d) => d.source === undefined || d.code.startsWith('IMGC7'))
                    .filter((d) => d.code.startsWith('IMGC7'))
                    .map((d) => `${d.severity} ${d.code} ${d.message}`),
                  plan: prepared.plan && {
                    backend: prepared.plan.backend,
                    distribution: prepared.plan.distribution,
                    steps: prepared.plan.steps.map((s) => ({
                      type: s.type,
                      title: s.title,
                      executor: s.executor,
                      origin: s.origin,
                      options: s.options,
                    })),
                  },
                }),
              ),
            ),
          );
        }
      }
      console.log(
        `plan snapshots ${family.name}: ${JSON.stringify(counts)} error codes ${JSON.stringify(errorCodes)}`,
      );
      expect(counts.crashes).toBe(0);
      const golden = resolve(import.meta.dirname, 'golden', `plan-${family.name}.json`);
      const text = `${JSON.stringify(snapshots, null, 1)}\n`;
      if (process.env.UPDATE || !existsSync(golden)) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    }, 300_000);
  }
});
