/**
 * Conformance over ../shared/corpus/packer, and the Packer oracle (issue 20). Every template
 * (HCL2 folder file or legacy JSON) is read: none may crash, at least 98 % of `main` entries
 * without errors, every `invalid` entry with a positioned error. Every one that reads is
 * written back as HCL2, re-read (each claimed field comes back or was reported), and judged
 * once by Debian's `packer` 1.6.6 (`packer validate` on the written file, run in the source
 * template's folder so the scripts and files it names resolve as they did for the original).
 * Every refusal is classified from packer's message and printed as a table; a cause counts as
 * the source's own only when the source is checked to need it (see causeOf), anything else is
 * imgc's. Of all templates, those not refused for the source's own needs must be accepted at
 * 98 % or more. What imgc writes itself (the sample and every vmdb2 corpus definition, with a
 * qemu builder from -O packerIsoUrl/packerIsoChecksum) must pass validate and inspect at 98 %.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { writeOutputFiles } from '../../src/formats/write-files.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { corpusDir, corpusMissingMessage, readManifest, repoRoot } from '../helpers/shared.js';
import { lostClaimedFields } from '../translate/matrix-helpers.js';
import { rowPath } from './translate-matrix.js';

const dir = corpusDir('packer');
const registry = new FormatRegistry();
const run = promisify(execFile);
const hasCommand = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;

async function packer(args: string[], cwd: string): Promise<{ ok: boolean; output: string }> {
  try {
    const r = await run('packer', args, {
      cwd,
      timeout: 60_000,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', PACKER_LOG: '' },
    });
    return { ok: true, output: r.stdout };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` || err.message };
  }
}

const sample = join(repoRoot, 'samples/blueprint/debian-minimal.toml');
/** A well-formed ISO reference: validate checks its form, it downloads nothing. */
const ISO = {
  packerIsoUrl: 'https://cdimage.debian.org/debian-cd/current/amd64/iso-cd/debian-netinst.iso',
  packerIsoChecksum: `sha256:${'0'.repeat(64)}`,
};

async function judge(template: string, cwd: string): Promise<{ ok: boolean; output: string }> {
  const validate = await packer(['validate', template], cwd);
  if (!validate.ok) return validate;
  return packer(['inspect', template], cwd);
}

/** The text Packer reads for a template: a legacy JSON file, or every HCL2 file of the folder. */
function sourceText(file: string): string {
  if (file.endsWith('.json')) return readFileSync(file, 'utf8');
  const dir = dirname(file);
  return readdirSync(dir)
    .filter((e) => /\.pkr\.hcl$|\.pkrvars\.hcl$/.test(e))
    .map((e) => readFileSync(join(dir, e), 'utf8'))
    .join('\n');
}

/** Why packer refused a written template, from packer's own message. */
interface Cause {
  cause: string;
  /** the source template needs it, so no writer for Packer 1.6.6 can help; otherwise imgc's doing */
  sourceNeeds: boolean;
}

/**
 * Each cause the source's own is checked against the source, so that a refusal imgc caused is
 * never counted as the source's: a newer setting must be in the source's text, an unset
 * variable declared there without a default, a missing file absent beside the source.
 */
function causeOf(output: string, sourceText: string, sourceDir: string, ir: ImageIR): Cause {
  const variables =
    (ir.extensions.packer as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
  if (/Blocks of type "required_plugins"|Unsupported Packer Core version/.test(output))
    return {
      cause: 'source needs Packer 1.7+ (required_plugins, required_version)',
      sourceNeeds: /required_(plugins|version)/.test(sourceText),
    };
  const newer = [
    ...output.matchAll(
      /(?:argument|Blocks of type) (?:named )?"([^"]+)"|Unknown \w+(?:-\w+)? type "([^"]+)"|unknown configuration key: '"?([^'"]+)/g,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3]!);
  if (newer.length)
    return {
      cause: 'source uses a plugin or a setting newer than Packer 1.6.6',
      sourceNeeds: newer.every((n) => sourceText.includes(n)),
    };
  if (/dial tcp|no such host|Failed to verify authentication token/.test(output))
    return {
      cause: 'validation needs the network (remote checksum, Vagrant Cloud token)',
      sourceNeeds: true,
    };
  const unset = [...output.matchAll(/Unset variable "([^"]+)"/g)].map((m) => m[1]!);
  if (unset.length)
    return {
      cause: 'source variables without a default (its -var-file is not in the corpus)',
      sourceNeeds: unset.every((n) => variables[n] === null),
    };
  const missing = [...output.matchAll(/stat ([^:]+): no such file or directory/g)].map((m) => m[1]!);
  if (missing.length)
    return {
      cause: 'source names files the corpus copy lacks',
      sourceNeeds: missing.every((f) => !existsSync(resolve(sourceDir, f))),
    };
  if (
    /unexpected EOF/.test(output) &&
    /"enable_virtualization_extensions"\s*:\s*true|enable_virtualization_extensions\s*=\s*true/.test(
      sourceText,
    )
  )
    return { cause: 'hyperv-iso asks a Hyper-V host (PowerShell) when validating', sourceNeeds: true };
  return { cause: 'imgc: not classified', sourceNeeds: false };
}

describe('packer corpus and oracle', () => {
  if (!dir) {
    console.warn(corpusMissingMessage('packer'));
    it.skip('corpus absent', () => {});
    return;
  }
  it('reads every template, round-trips it, and packer 1.6.6 accepts what imgc writes', async () => {
    const withPacker = hasCommand('packer');
    if (!withPacker)
      console.warn('packer is not installed (scripts/host-packages.txt): the oracle part is not run');
    const c = {
      files: 0,
      missing: 0,
      main: 0,
      mainClean: 0,
      invalid: 0,
      invalidPositioned: 0,
      errors: 0,
      crashes: 0,
      roundTripFailures: 0,
      judged: 0,
      accepted: 0,
      outOfReach: 0,
    };
    const failures: string[] = [];
    const causes = new Map<string, { n: number; sourceNeeds: boolean }>();
    for (const row of readManifest('packer')) {
      if (row.kind !== 'main' && row.kind !== 'invalid') continue;
      const file = rowPath(dir, row);
      c.files++;
      if (row.kind === 'main') c.main++;
      else c.invalid++;
      if (!file) {
        c.missing++;
        failures.push(`NO FILE ${row.repo}/${row.path}: the manifest lists it and the corpus holds no copy`);
        continue;
      }
      let loaded: Awaited<ReturnType<typeof loadDefinition>>;
      try {
        loaded = await loadDefinition(registry, file, { from: 'packer' });
      } catch (e) {
        c.crashes++;
        failures.push(`CRASH ${row.repo}/${row.path}: ${String(e)}`);
        continue;
      }
      const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
      if (row.kind === 'invalid') {
        if (errors.some((d) => d.line !== undefined)) c.invalidPositioned++;
        else failures.push(`INVALID READ ${row.repo}/${row.path}`);
        continue;
      }
      if (errors.length || !loaded.ir) {
        c.errors++;
        failures.push(
          `ERRORS ${row.repo}/${row.path}: ${errors.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('; ')}`,
        );
        continue;
      }
      c.mainClean++;
      const out = mkdtempSync(join(tmpdir(), 'imgc-packer-'));
      try {
        const written = await registry.get('packer')!.writer!.write(loaded.ir, { sourceDir: dirname(file) });
        await writeOutputFiles(out, written.files);
        const again = await loadDefinition(registry, join(out, 'image.pkr.hcl'), { from: 'packer' });
        const lost = again.ir
          ? lostClaimedFields(
              loaded.ir,
              again.ir,
              registry.get('packer')!.writer!.capabilities,
              written.diagnostics,
            )
          : [`the output does not read: ${again.diagnostics.map((d) => d.message).join('; ')}`];
        if (lost.length) {
          c.roundTripFailures++;
          failures.push(`ROUND TRIP ${row.repo}/${row.path}: ${lost.slice(0, 3).join('; ')}`);
        }
        if (!withPacker) continue;
        c.judged++;
        const verdict = await packer(['validate', join(out, 'image.pkr.hcl')], dirname(file));
        if (verdict.ok) c.accepted++;
        else {
          const { cause, sourceNeeds } = causeOf(verdict.output, sourceText(file), dirname(file), loaded.ir);
          const label = sourceNeeds ? cause : `imgc: ${cause.replace(/^imgc: /, '')}`;
          const seen = causes.get(label) ?? { n: 0, sourceNeeds };
          causes.set(label, { ...seen, n: seen.n + 1 });
          if (sourceNeeds) c.outOfReach++;
          failures.push(
            `PACKER REFUSED (${label}) ${row.repo}/${row.path}: ${verdict.output.replace(/\s+/g, ' ').slice(0, 300)}`,
          );
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
    const inReach = c.judged - c.outOfReach;
    const table = [
      '| packer 1.6.6 on what imgc writes | templates |',
      '|---|---|',
      `| accepted (packer validate) | ${c.accepted} |`,
      ...[...causes].map(([k, v]) => `| refused: ${k}${v.sourceNeeds ? '' : " (imgc's doing)"} | ${v.n} |`),
      `| **all main templates written** | **${c.judged}** |`,
    ].join('\n');
    console.log(
      `packer corpus: ${c.files} templates: main ${c.mainClean}/${c.main} read without errors, ${c.errors} with errors, ${c.crashes} crashes, ${c.missing} listed but absent; invalid ${c.invalidPositioned}/${c.invalid} with a positioned error; round trips losing a claimed field: ${c.roundTripFailures}; packer 1.6.6 accepted ${c.accepted}/${c.judged}, ${c.accepted}/${inReach} of those within its reach (${c.outOfReach} refused for what the source itself needs)\n${table}`,
    );
    if (failures.length) console.log(failures.join('\n'));
    expect(c.crashes).toBe(0);
    expect(c.mainClean / c.main).toBeGreaterThanOrEqual(0.98);
    expect(c.invalidPositioned).toBe(c.invalid);
    expect(c.roundTripFailures).toBe(0);
    if (withPacker) {
      expect(c.judged).toBe(c.mainClean);
      expect(c.accepted / inReach).toBeGreaterThanOrEqual(0.98);
    }
  }, 600_000);

  it('packer 1.6.6 accepts the templates imgc writes itself', async () => {
    if (!hasCommand('packer')) {
      console.warn('packer is not installed (scripts/host-packages.txt): not run');
      return;
    }
    const vmdb2 = corpusDir('vmdb2');
    const rows = vmdb2 ? readManifest('vmdb2').map((row) => ({ row, path: rowPath(vmdb2, row) })) : [];
    const sources = [sample, ...rows.flatMap((r) => (r.path ? [r.path] : []))];
    let judged = 0;
    let accepted = 0;
    const notJudged: string[] = [];
    const refused: string[] = rows
      .filter((r) => !r.path)
      .map((r) => `${r.row.repo}/${r.row.path}: the vmdb2 manifest lists it and the corpus holds no copy`);
    for (const source of sources) {
      const loaded = await loadDefinition(registry, source);
      if (!loaded.ir) continue;
      const out = mkdtempSync(join(tmpdir(), 'imgc-packer-own-'));
      try {
        const written = await registry
          .get('packer')!
          .writer!.write(loaded.ir, { sourceDir: dirname(source), options: ISO });
        await writeOutputFiles(out, written.files);
        const missing = written.diagnostics.filter((d) =>
          /does not exist; the template names it/.test(d.message),
        );
        if (missing.length) {
          notJudged.push(`${source}: ${missing.map((d) => d.message).join('; ')}`);
          continue;
        }
        judged++;
        const verdict = await judge(join(out, 'image.pkr.hcl'), out);
        if (verdict.ok) accepted++;
        else refused.push(`${source}: ${verdict.output.replace(/\s+/g, ' ').slice(0, 300)}`);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
    console.log(
      `packer 1.6.6 on templates imgc writes (sample + vmdb2 corpus): ${accepted}/${judged} accepted; ${notJudged.length} not judged, since they name files the corpus copy lacks:\n  ${notJudged.join('\n  ')}`,
    );
    if (refused.length) console.log(refused.join('\n'));
    expect(judged).toBeGreaterThan(1);
    expect(accepted / (judged + rows.filter((r) => !r.path).length)).toBeGreaterThanOrEqual(0.98);
  }, 600_000);
});
