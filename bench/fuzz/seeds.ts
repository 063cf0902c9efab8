/**
 * Seed definitions per reader, from the repository's own fixtures and samples: each is a small
 * tree of text files with one main file, written to a scratch folder for every mutated input.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SyntaxName } from './mutate.js';

export interface Seed {
  /** where it came from, for reports */
  name: string;
  /** relative path → text */
  files: Record<string, string>;
  /** the file or folder handed to the reader, relative */
  main: string;
  /** the file mutated most often, relative */
  focus: string;
  /** the syntax whose structure-aware mutations also apply (the newer readers'); else the general ones only */
  syntax?: SyntaxName;
  /** reader options (`-O name=value`) whose values are paths relative to the seed's folder */
  pathOptions?: Record<string, string>;
}

/** Reader ids as `--from` takes them; `bib-config` is the containerfile reader fed config.toml. */
export const READERS = [
  'kiwi',
  'mkosi',
  'kickstart',
  'blueprint',
  'blueprint-json',
  'containerfile',
  'bib-config',
  'ir',
  // joined after the first runs: appended, so a run over the eight above keeps its numbering
  'treefile',
  'packer',
  'vmdb2',
  'live-build',
  'virt-builder',
  'tdl',
  // read only (no writer of its own, so no writer-output seeds); appended after the six
  'dib',
] as const;
export type ReaderId = (typeof READERS)[number];

/** The readers of the runs before the six newer formats: `--reader` with this list repeats them. */
export const FIRST_READERS = READERS.slice(0, 8);

const MAX_SEED_FILE = 256 * 1024;

function textTree(dir: string, base = dir, out: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const info = statSync(full);
    if (info.isDirectory()) textTree(full, base, out);
    else if (info.isFile() && info.size <= MAX_SEED_FILE) {
      const text = readFileSync(full, 'utf8');
      if (!text.includes('\u0000')) out[relative(base, full)] = text;
    }
  }
  return out;
}

/** A file or folder input as a seed; `mainName` renames a single file (fixtures call it input.*). */
function seedOf(path: string, name: string, mainName?: string): Seed {
  if (statSync(path).isDirectory()) {
    const files = textTree(path);
    const rels = Object.keys(files);
    const focus =
      rels.find((r) => /^(mkosi\.conf|Containerfile|config\.xml|.*\.kiwi|.*\.ks|input\.ks)$/.test(r)) ??
      rels[0] ??
      '';
    return { name, files, main: 'input', focus };
  }
  const file = mainName ?? path.split('/').pop()!;
  return { name, files: { [file]: readFileSync(path, 'utf8') }, main: file, focus: file };
}

/** Folder trees get their files under `input/`. */
function rooted(seed: Seed): Seed {
  if (seed.main !== 'input') return seed;
  const files: Record<string, string> = {};
  for (const [rel, text] of Object.entries(seed.files)) files[`input/${rel}`] = text;
  return { ...seed, files, focus: `input/${seed.focus}` };
}

const FIXTURE_DIR: Record<ReaderId, string> = {
  kiwi: 'test/formats/kiwi/fixtures',
  mkosi: 'test/formats/mkosi/fixtures',
  kickstart: 'test/formats/kickstart/fixtures',
  blueprint: 'test/formats/blueprint/fixtures',
  'blueprint-json': 'test/formats/blueprint/fixtures-json',
  containerfile: 'test/formats/containerfile/fixtures',
  'bib-config': 'test/formats/containerfile/fixtures',
  ir: 'test/formats/ir/fixtures',
  treefile: 'test/formats/treefile/fixtures',
  packer: 'test/formats/packer/fixtures',
  vmdb2: 'test/formats/vmdb2/fixtures',
  'live-build': 'test/formats/live-build/fixtures',
  'virt-builder': 'test/formats/virt-builder/fixtures',
  tdl: 'test/formats/tdl/fixtures',
  dib: 'test/formats/dib/fixtures',
};

/**
 * The newer readers' seeds also take the files a single-file fixture keeps beside its input
 * (a Packer provisioner script, an fstab) and what imgc's writer made of each fixture (`out/<id>/`),
 * with the file to mutate most often found by name.
 */
const NEWER: Partial<Record<ReaderId, { focus: RegExp; syntax: SyntaxName }>> = {
  treefile: { focus: /(^|\/)(manifest|treefile|input)\.(ya?ml|json)$/, syntax: 'yaml' },
  packer: { focus: /\.pkr\.(hcl|json)$/, syntax: 'hcl' },
  vmdb2: { focus: /\.(vmdb|ya?ml)$/, syntax: 'yaml' },
  'live-build': { focus: /(^|\/)auto\/config$/, syntax: 'shell' },
  'virt-builder': { focus: /(^|\/)(index|[^/]*\.virt-customize|[^/]*\.index)$/, syntax: 'shell' },
  tdl: { focus: /\.(tdl|xml)$/, syntax: 'xml' },
};

/** File names the readers expect for a single-file fixture input. */
const SINGLE_NAME: Partial<Record<ReaderId, (input: string) => string>> = {
  kiwi: (i) => (i.endsWith('.kiwi') ? 'config.kiwi' : i.replace(/^input/, 'config')),
  kickstart: () => 'input.ks',
  blueprint: () => 'blueprint.toml',
  'blueprint-json': () => 'blueprint.json',
  containerfile: () => 'Containerfile',
  ir: (i) => i.replace(/^input/, 'input'),
};

export function seedsFor(reader: ReaderId, repo: string): Seed[] {
  if (reader === 'dib') return dibSeeds(repo);
  const newer = NEWER[reader];
  if (newer) return newerSeeds(reader, repo, newer.focus).map((seed) => ({ ...seed, syntax: newer.syntax }));
  const seeds: Seed[] = [];
  const fixtures = join(repo, FIXTURE_DIR[reader]);
  if (existsSync(fixtures)) {
    for (const c of readdirSync(fixtures).sort()) {
      const caseDir = join(fixtures, c);
      if (!statSync(caseDir).isDirectory()) continue;
      const input = readdirSync(caseDir).find((e) => e === 'input' || e.startsWith('input.'));
      if (input) {
        const single = statSync(join(caseDir, input)).isFile();
        seeds.push(
          rooted(
            seedOf(join(caseDir, input), `${reader}:${c}`, single ? SINGLE_NAME[reader]?.(input) : undefined),
          ),
        );
      }
    }
  }
  if (reader === 'ir') {
    // every golden IR is also a seed for the IR reader, extension data and all
    for (const [id, folder] of Object.entries(FIXTURE_DIR)) {
      // the newer formats' golden IRs stay out: the IR reader's inputs of earlier runs keep their numbers
      if (id === 'bib-config' || NEWER[id as ReaderId]) continue;
      const base = join(repo, folder);
      const dir = id;
      if (!statSync(base).isDirectory()) continue;
      for (const c of readdirSync(base).sort()) {
        const golden = join(base, c, 'ir.json');
        if (existsSync(golden)) seeds.push(seedOf(golden, `ir:${dir}/${c}`, 'golden.ir.json'));
      }
    }
  }
  const sample = join(repo, 'samples', reader === 'blueprint-json' || reader === 'bib-config' ? '-' : reader);
  if (existsSync(sample)) seeds.push(rooted(seedOf(sample, `${reader}:samples`)));
  if (reader === 'bib-config')
    return seeds
      .filter((s) => Object.keys(s.files).some((f) => f.endsWith('config.toml')))
      .map(focusConfig)
      .concat(bibSamples(repo));
  return seeds;
}

function focusConfig(seed: Seed): Seed {
  return { ...seed, focus: Object.keys(seed.files).find((f) => f.endsWith('config.toml'))! };
}

function bibSamples(repo: string): Seed[] {
  const dir = join(repo, 'samples/containerfile');
  return existsSync(dir) ? [focusConfig(rooted(seedOf(dir, 'bib-config:samples')))] : [];
}

/** Fixture inputs (with the files beside a single-file input) and writer outputs of a newer reader. */
function newerSeeds(reader: ReaderId, repo: string, focus: RegExp): Seed[] {
  const seeds: Seed[] = [];
  const fixtures = join(repo, FIXTURE_DIR[reader]);
  if (!existsSync(fixtures)) return seeds;
  for (const c of readdirSync(fixtures).sort()) {
    const caseDir = join(fixtures, c);
    if (!statSync(caseDir).isDirectory()) continue;
    const input = readdirSync(caseDir).find((e) => e === 'input' || e.startsWith('input.'));
    if (input) seeds.push(caseSeed(caseDir, input, `${reader}:${c}`, focus));
    const out = join(caseDir, 'out', reader);
    if (existsSync(out)) seeds.push(treeSeed(out, `${reader}:${c}/out`, focus));
  }
  return seeds;
}

const GOLDEN = new Set(['diagnostics.json', 'ir.json', 'out']);

function caseSeed(caseDir: string, input: string, name: string, focus: RegExp): Seed {
  if (statSync(join(caseDir, input)).isDirectory()) return treeSeed(join(caseDir, input), name, focus);
  const files: Record<string, string> = {};
  for (const entry of readdirSync(caseDir).sort()) {
    if (GOLDEN.has(entry)) continue;
    const full = join(caseDir, entry);
    if (statSync(full).isDirectory()) textTree(full, caseDir, files);
    else files[entry] = readFileSync(full, 'utf8');
  }
  return { name, files, main: input, focus: input };
}

function treeSeed(dir: string, name: string, focus: RegExp): Seed {
  const files: Record<string, string> = {};
  for (const [rel, text] of Object.entries(textTree(dir))) files[`input/${rel}`] = text;
  const rels = Object.keys(files);
  return { name, files, main: 'input', focus: rels.find((r) => focus.test(r)) ?? rels[0] ?? '' };
}

/**
 * diskimage-builder: the fixture tree read as its image list (elements found with
 * `-O elementsPath`) and as each element folder, and each sample element folder (its parent,
 * holding the other samples, is the search path). One seed per text file of an element, that
 * file mutated most often: element YAML (package-installs, block-device, svc-map) and the JSON pkg-map with the YAML
 * mutations, the rest (element-deps, pkg-map, environment.d and phase scripts) with the
 * shell-like ones.
 */
function dibSeeds(repo: string): Seed[] {
  const seeds: Seed[] = [];
  const trees: [string, string, string | undefined][] = [
    [join(repo, FIXTURE_DIR.dib), 'dib:fixtures', 'elements'],
    [join(repo, 'samples/dib'), 'dib:samples', undefined],
  ];
  for (const [dir, name, elementsDir] of trees) {
    if (!existsSync(dir)) continue;
    const files: Record<string, string> = {};
    for (const [rel, text] of Object.entries(textTree(dir))) files[`input/${rel}`] = text;
    const rels = Object.keys(files).sort();
    for (const list of rels.filter((r) => /^input\/[^/]+\.ya?ml$/.test(r)))
      seeds.push({
        name: `${name}/${list.slice('input/'.length)}`,
        files,
        main: list,
        focus: list,
        syntax: 'yaml',
        pathOptions: { elementsPath: `input/${elementsDir ?? '.'}` },
      });
    const base = elementsDir ? `input/${elementsDir}/` : 'input/';
    for (const rel of rels.filter((r) => r.startsWith(base))) {
      const element = base + rel.slice(base.length).split('/')[0]!;
      if (element === rel) continue;
      seeds.push({
        name: `${name}/${rel.slice('input/'.length)}`,
        files,
        main: element,
        focus: rel,
        syntax: /(\.ya?ml|(^|\/)(pkg-map|svc-map))$/.test(rel) ? 'yaml' : 'shell',
      });
    }
  }
  return seeds;
}
