/** rpm-ostree treefile reader: YAML or JSON, includes resolved as `rpm-ostree compose tree` does. */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { diag } from '../../../diagnostics/define.js';
import { appendAll } from '../../../input/append.js';
import { readFailure } from '../../../input/bounded.js';
import { inferFromRepositories } from '../../../ir/distro-defaults.js';
import type { DetectCandidate, FormatReader, ReadOptions, ReadResult } from '../../contract.js';
import { treefileCodes } from '../codes.js';
import { basearchOf } from '../vocabulary.js';
import { lowerTreefile } from './lower.js';
import { readRepoFiles } from './repo-files.js';
import { resolveTreefile } from './resolve.js';

/** Keys only treefiles have: one of them at the start of a line makes a YAML/JSON file a treefile. */
const TREEFILE_ONLY =
  /^\s*"?(ref|include|arch-include|conditional-include|exclude-packages|postprocess|postprocess-script|remove-files|remove-from-packages|add-files|etc-group-members|boot-location|machineid-compat|tmp-is-dir|mutate-os-release|automatic-version-prefix|automatic_version_prefix|check-passwd|check-groups|ignore-removed-users|releasever|rojig|packages-x86_64|packages-aarch64|repo-packages|initramfs-args)"?\s*:/m;

/** The main treefile of a folder: what the writer writes, then the name Fedora CoreOS uses. */
const FOLDER_FILES = ['treefile.json', 'treefile.yaml', 'manifest.yaml', 'manifest.json'];

function detect(c: DetectCandidate): number {
  if (c.isDirectory) return c.entries?.includes('treefile.json') ? 0.6 : 0;
  if (!/\.(ya?ml|json)$/i.test(c.name)) return 0;
  const head = c.head ?? '';
  if (!TREEFILE_ONLY.test(head)) return 0;
  // the IR, vmdb2 and KIWI YAML have keys of their own at the top
  if (/^\s*"?(irVersion|steps|image)"?\s*:/m.test(head)) return 0.1;
  return 0.8;
}

async function mainFile(path: string): Promise<string> {
  if (!statSync(path).isDirectory()) return path;
  const entries = readdirSync(path);
  const found = FOLDER_FILES.find((f) => entries.includes(f));
  if (!found)
    throw Object.assign(new Error(`no ${FOLDER_FILES.join(', ')} in the folder`), { code: 'ENOENT' });
  return join(path, found);
}

async function read(input: string, options: ReadOptions): Promise<ReadResult> {
  let path: string;
  try {
    path = await mainFile(input);
  } catch (e) {
    return { positions: {}, files: [], diagnostics: [readFailure(e, input)] };
  }
  const given = typeof options.options?.arch === 'string' ? options.options.arch : undefined;
  const basearch = basearchOf(given ?? process.arch);
  const res = await resolveTreefile(path, basearch);
  const files = [...res.files];
  if (!given && (res.archUsed || Object.keys(res.otherArch).length > 0))
    res.diagnostics.push(
      diag(treefileCodes.archAssumed, { arch: basearch }, { file: path, line: 1, column: 1 }),
    );
  if (!res.merged || res.diagnostics.some((d) => d.severity === 'error'))
    return { positions: {}, diagnostics: res.diagnostics, files };
  const repos = await readRepoFiles(dirname(path));
  appendAll(files, repos.files);
  const lowered = lowerTreefile(path, res, repos.sections, given ? basearch : undefined);
  const diagnostics = [...res.diagnostics, ...lowered.diagnostics];
  appendAll(diagnostics, inferFromRepositories(lowered.ir, lowered.positions));
  if (diagnostics.some((d) => d.severity === 'error'))
    return { positions: lowered.positions, diagnostics, files };
  return { ir: lowered.ir, positions: lowered.positions, diagnostics, files };
}

export const treefileReader: FormatReader = { detect, read };
