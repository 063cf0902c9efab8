/**
 * The `ir` writer: the IR itself as JSON, `image.ir.json` — keys in the schema's order,
 * two-space indent, a trailing newline — so a definition in any format can be saved, edited
 * and built as the IR. It holds every IR field (capabilities `/**`); the files a definition
 * refers to by relative path (`files[].source`, `overlays[].source`, `scripts[].source`, also
 * in profiles) are copied beside it, and those that cannot be are reported (IMGC6002).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import type { ImageIR, ProfileOverlay } from '../../../ir/schema.js';
import { orderLikeSchema } from '../../../ir/schema-walk.js';
import type { FormatWriter, OutputFile, WriteOptions, WriteResult } from '../../contract.js';

/** The one file the writer writes (besides copies of the sources the IR refers to). */
export const IR_OUTPUT_FILE = 'image.ir.json';

/** Every IR field: the IR format is the IR. */
export const irCapabilities: readonly string[] = ['/**'];

const SOURCE_FIELDS = ['files/*/source', 'overlays/*/source', 'scripts/*/source'];

/** The value is always written as it is; the file it names may not come along (reported). */
export const irApproximations: readonly string[] = [
  ...SOURCE_FIELDS.map((f) => `/${f}`),
  ...SOURCE_FIELDS.map((f) => `/profiles/*/overlay/${f}`),
];

export function printIr(ir: ImageIR): string {
  return `${JSON.stringify(orderLikeSchema(ir), null, 2)}\n`;
}

export function writeIr(ir: ImageIR, options: WriteOptions = {}): WriteResult {
  const diagnostics: Diagnostic[] = [];
  const files: OutputFile[] = [{ path: IR_OUTPUT_FILE, content: printIr(ir) }];
  const references: { rel: string; pointer: string }[] = [];
  const collect = (scope: ProfileOverlay, prefix: string) => {
    scope.files?.forEach((f, i) => {
      if (f.source !== undefined) references.push({ rel: f.source, pointer: `${prefix}/files/${i}/source` });
    });
    scope.overlays?.forEach((o, i) => {
      references.push({ rel: o.source, pointer: `${prefix}/overlays/${i}/source` });
    });
    scope.scripts?.forEach((s, i) => {
      if (s.source !== undefined)
        references.push({ rel: s.source, pointer: `${prefix}/scripts/${i}/source` });
    });
  };
  collect(ir, '');
  ir.profiles.forEach((p, i) => {
    collect(p.overlay, `/profiles/${i}/overlay`);
  });
  const report = (pointer: string, detail: string) =>
    diagnostics.push(
      diag(translateCodes.lossDetail, { pointer, target: 'ir', detail }, undefined, {
        pointer,
        source: 'ir',
      }),
    );
  const copied: string[] = [];
  // shortest first, so a folder is copied once and nothing inside it again
  for (const { rel, pointer } of references.sort((a, b) => a.rel.length - b.rel.length)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(rel) || isAbsolute(rel)) continue;
    const clean = normalize(rel).replace(/[/\\]+$/, '');
    if (clean === '.' || clean === '..' || clean.startsWith(`..${sep}`) || clean === IR_OUTPUT_FILE) {
      report(
        pointer,
        `${rel} is outside the definition's folder and is not copied; the path stays as written`,
      );
      continue;
    }
    if (copied.some((c) => clean === c || clean.startsWith(`${c}${sep}`))) continue;
    if (!options.sourceDir || !existsSync(join(options.sourceDir, clean))) {
      report(pointer, `${rel} was not found next to the source definition; copy it beside the IR by hand`);
      continue;
    }
    copied.push(clean);
    files.push({ path: clean.split(sep).join('/'), copyFrom: join(options.sourceDir, clean) });
  }
  return { files, diagnostics };
}

export const irWriter: FormatWriter = {
  capabilities: irCapabilities,
  approximations: irApproximations,
  profiles: true,
  write: writeIr,
};
