/**
 * Schema upgrades as AST rewrites, following KIWI's XSL chain (convertXXtoYY.xsl in KIWI
 * 9.24 for 5.x–7.5, OSInside/kiwi for 7.5–8.5). Each step runs when the document's
 * schemaversion is below the step's target; every change it makes is reported as an info
 * diagnostic at the element it touched.
 */

import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import { childElements, element, textElement, textOf, type XChild, type XElement } from '../ast.js';
import { kiwiCodes } from '../codes.js';

export const LATEST_SCHEMA = '8.5';

interface Step {
  to: string;
  run(root: XElement, report: Reporter): void;
}

type Reporter = (el: XElement, change: string) => void;

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The elements called `name` with their parents, in document order, collected before the caller
 * changes anything. A plain recursion: a generator over the whole tree per step (about 30 steps
 * per read) was most of the upgrade's time.
 */
function elementsNamed(root: XElement, name: string): [XElement, XElement | undefined][] {
  const found: [XElement, XElement | undefined][] = [];
  const visit = (el: XElement, parent: XElement | undefined) => {
    if (el.name === name) found.push([el, parent]);
    for (const c of el.children) if (c.kind === 'element') visit(c, el);
  };
  visit(root, undefined);
  return found;
}

function dropAttr(root: XElement, elName: string, attrs: string[], report: Reporter): void {
  for (const [el] of elementsNamed(root, elName)) {
    for (const a of attrs) {
      if (a in el.attrs) {
        delete el.attrs[a];
        report(el, `removed the obsolete ${a}= attribute from <${elName}>`);
      }
    }
  }
}

function renameAttr(root: XElement, elName: string, from: string, to: string, report: Reporter): void {
  for (const [el] of elementsNamed(root, elName)) {
    if (from in el.attrs) {
      el.attrs[to] = el.attrs[from]!;
      if (el.attrPos[from]) el.attrPos[to] = el.attrPos[from]!;
      delete el.attrs[from];
      report(el, `renamed <${elName} ${from}=> to ${to}=`);
    }
  }
}

function renameElement(
  root: XElement,
  from: string,
  to: string,
  report: Reporter,
  parentName?: string,
): void {
  for (const [el, parent] of elementsNamed(root, from)) {
    if (parentName && parent?.name !== parentName) continue;
    el.name = to;
    report(el, `renamed <${from}> to <${to}>`);
  }
}

/** Removes an element but keeps its element children in its place (XSL `apply-templates select="*"`). */
function unwrapElement(root: XElement, name: string, report: Reporter, keepChildren = true): void {
  for (const [el, parent] of elementsNamed(root, name)) {
    if (!parent) continue;
    const i = parent.children.indexOf(el);
    const kept: XChild[] = keepChildren ? el.children.filter((c) => c.kind === 'element') : [];
    // not splice(i, 1, ...kept): spread arguments overflow the stack past ~100,000 children
    const after = parent.children.splice(i);
    appendAll(appendAll(parent.children, kept), after.slice(1));
    report(el, `removed the obsolete <${name}> element`);
  }
}

/** A new element carries the position of the one it was made from, so reports can point at it. */
function bornFrom<T extends XElement>(made: T, from: XElement): T {
  if (from.pos) made.pos = from.pos;
  if (from.file) made.file = from.file;
  return made;
}

function setText(el: XElement, text: string): void {
  el.children = [{ kind: 'text', text }];
}

const steps: Step[] = [
  {
    to: '5.1',
    run(root, report) {
      dropAttr(root, 'type', ['baseroot'], report);
      unwrapElement(root, 'defaultbaseroot', report, false);
    },
  },
  {
    to: '5.2',
    run(root, report) {
      for (const [el, parent] of elementsNamed(root, 'type')) {
        if (el.attrs.image === 'usb' && parent) {
          parent.children.splice(parent.children.indexOf(el), 1);
          report(el, 'removed the obsolete <type image="usb">');
        }
      }
    },
  },
  {
    to: '5.3',
    run(root, report) {
      const renamed: Record<string, string> = { 'AP-Japan': 'AP-Northeast', 'AP-Singapore': 'AP-Southeast' };
      for (const [el] of elementsNamed(root, 'ec2region')) {
        const region = textOf(el);
        if (region && renamed[region]) {
          setText(el, renamed[region]);
          report(el, `renamed ec2region ${region} to ${renamed[region]}`);
        }
      }
    },
  },
  { to: '5.4', run: (root, report) => dropAttr(root, 'drivers', ['type'], report) },
  {
    to: '5.5',
    run(root, report) {
      for (const [el, parent] of elementsNamed(root, 'boot-theme')) {
        if (parent?.name !== 'preferences') continue;
        const theme = textOf(el) ?? '';
        const i = parent.children.indexOf(el);
        parent.children.splice(
          i,
          1,
          textElement('bootsplash-theme', theme),
          textElement('bootloader-theme', theme),
        );
        report(el, 'split <boot-theme> into <bootsplash-theme> and <bootloader-theme>');
      }
    },
  },
  {
    to: '5.6',
    run(root, report) {
      for (const name of ['user', 'repository', 'instrepo'])
        renameAttr(root, name, 'pwd', 'password', report);
    },
  },
  {
    to: '5.7',
    run(root, report) {
      renameElement(root, 'opensusePattern', 'namedCollection', report, 'packages');
      renameElement(root, 'rhelGroup', 'namedCollection', report, 'packages');
    },
  },
  { to: '5.8', run: (root, report) => dropAttr(root, 'type', ['syncMBR'], report) },
  {
    to: '5.9',
    run(root, report) {
      for (const [el] of elementsNamed(root, 'vmdisk')) {
        if (el.attrs.controller === 'scsi') {
          el.attrs.controller = 'lsilogic';
          report(el, 'renamed <vmdisk controller="scsi"> to "lsilogic"');
        }
      }
    },
  },
  { to: '6.0', run: (root, report) => unwrapElement(root, 'oem-align-partition', report, false) },
  { to: '6.1', run: (root, report) => renameElement(root, 'opensuseProduct', 'product', report) },
  {
    to: '6.2',
    run(root, report) {
      for (const [el] of elementsNamed(root, 'type')) {
        if (!('bootloader' in el.attrs) && (el.attrs.image === 'oem' || el.attrs.image === 'vmx')) {
          el.attrs.bootloader = 'grub2';
          report(el, `added bootloader="grub2" to <type image="${el.attrs.image}">`);
        }
      }
    },
  },
  {
    to: '6.3',
    run(root, report) {
      dropAttr(root, 'type', ['fsreadonly', 'fsreadwrite', 'zfsoptions'], report);
      unwrapElement(root, 'split', report);
    },
  },
  {
    to: '6.4',
    run(root, report) {
      for (const [users] of elementsNamed(root, 'users')) {
        const group = users.attrs.group;
        if (group !== undefined) {
          for (const user of childElements(users, 'user')) user.attrs.groups = group;
          report(users, `moved <users group="${group}"> into groups= of each <user>`);
        }
        for (const a of ['group', 'id']) {
          if (a in users.attrs) delete users.attrs[a];
        }
      }
    },
  },
  {
    to: '6.5',
    run(root, report) {
      for (const [el] of elementsNamed(root, 'type')) {
        const name = el.attrs.container;
        if (name === undefined) continue;
        delete el.attrs.container;
        el.children.unshift(bornFrom(element('containerconfig', { name }), el));
        report(el, `moved <type container="${name}"> into <containerconfig name=...>`);
      }
    },
  },
  {
    to: '6.6',
    run(root, report) {
      for (const [el] of elementsNamed(root, 'type')) {
        if (childElements(el, 'machine').some((m) => m.attrs.domain === 'dom0')) {
          el.attrs.xen_server = 'true';
          report(el, 'added xen_server="true" for a dom0 <machine>');
        }
      }
      dropAttr(root, 'machine', ['domain'], report);
    },
  },
  {
    to: '6.7',
    run(root, report) {
      if ('kiwirevision' in root.attrs) {
        delete root.attrs.kiwirevision;
        report(root, 'removed the obsolete kiwirevision= attribute from <image>');
      }
      dropAttr(root, 'type', ['checkprebuilt', 'fsnocheck'], report);
      dropAttr(root, 'repository', ['status', 'prefer-license'], report);
      dropAttr(root, 'package', ['replaces'], report);
      for (const name of [
        'defaultprebuilt',
        'defaultdestination',
        'defaultroot',
        'partitioner',
        'rpm-force',
      ]) {
        unwrapElement(root, name, report);
      }
    },
  },
  { to: '6.8', run: (root, report) => unwrapElement(root, 'hwclock', report) },
  {
    to: '6.9',
    run(root, report) {
      dropAttr(root, 'type', ['hybrid'], report);
      unwrapElement(root, 'oem-ataraid-scan', report, false);
    },
  },
  { to: '7.0', run: (root, report) => unwrapElement(root, 'pxedeploy', report, false) },
  {
    to: '7.1',
    run(root, report) {
      const legacy = new Set(['red-carpet', 'slack-site', 'up2date-mirrors', 'urpmi', 'yast2']);
      for (const [el] of elementsNamed(root, 'repository')) {
        if (el.attrs.type !== undefined && legacy.has(el.attrs.type)) {
          report(el, `removed the obsolete repository type="${el.attrs.type}"`);
          delete el.attrs.type;
        }
      }
    },
  },
  {
    to: '7.2',
    run(root, report) {
      for (const [el] of elementsNamed(root, 'type')) {
        const a = el.attrs;
        const moved = ['bootloader', 'bootloader_console', 'boottimeout', 'zipl_targettype'].filter(
          (k) => k in a,
        );
        if (moved.length === 0) continue;
        if (a.bootloader) {
          const loader = bornFrom(
            element('bootloader', {
              name: a.bootloader,
              console: a.bootloader_console || undefined,
              timeout: a.boottimeout || undefined,
              targettype: a.zipl_targettype || undefined,
            }),
            el,
          );
          el.children.unshift(loader);
        }
        for (const k of moved) delete a[k];
        report(el, `moved ${moved.map((k) => `${k}=`).join(', ')} from <type> into <bootloader>`);
      }
    },
  },
  {
    to: '7.3',
    run(root, report) {
      for (const [el] of elementsNamed(root, 'type')) {
        if (el.attrs.image !== 'vmx') continue;
        el.attrs.image = 'oem';
        let oem = childElements(el, 'oemconfig')[0];
        if (!oem) {
          oem = bornFrom(element('oemconfig'), el);
          el.children.push(oem);
        }
        oem.children = oem.children.filter((c) => !(c.kind === 'element' && c.name === 'oem-resize'));
        oem.children.push(bornFrom(textElement('oem-resize', 'false'), el));
        report(el, 'converted <type image="vmx"> to image="oem" with <oem-resize>false</oem-resize>');
      }
    },
  },
  {
    to: '7.4',
    run(root, report) {
      for (const [el] of elementsNamed(root, 'packagemanager')) {
        const pm = textOf(el);
        const to = pm === 'apt-get' ? 'apt' : pm === 'yum' ? 'dnf' : undefined;
        if (to) {
          setText(el, to);
          report(el, `renamed packagemanager ${pm} to ${to}`);
        }
      }
    },
  },
  {
    to: '7.5',
    run(root, report) {
      for (const [el] of elementsNamed(root, 'containerconfig')) {
        const tags = el.attrs.additionaltags;
        if (tags === undefined) continue;
        delete el.attrs.additionaltags;
        el.attrs.additionalnames = `:${tags.split(',').join(',:')}`;
        report(
          el,
          'renamed containerconfig additionaltags= to additionalnames= (each tag prefixed with ":")',
        );
      }
    },
  },
  {
    to: '7.6',
    run(root, report) {
      for (const [el] of elementsNamed(root, 'packagemanager')) {
        if (textOf(el) === 'dnf') {
          setText(el, 'dnf4');
          report(el, 'renamed packagemanager dnf to dnf4');
        }
      }
    },
  },
  {
    to: '8.0',
    run(root, report) {
      for (const [el, parent] of elementsNamed(root, 'type')) {
        if (el.attrs.image === 'clicfs' && parent)
          report(el, 'the clicfs image type no longer exists (kept as written)');
      }
    },
  },
  {
    to: '8.1',
    run(root, report) {
      for (const [el] of elementsNamed(root, 'repository')) {
        if (el.attrs.type === 'rpm-dir') {
          delete el.attrs.type;
          report(el, 'removed the obsolete repository type="rpm-dir"');
        }
      }
    },
  },
  { to: '8.2', run: (root, report) => dropAttr(root, 'repository', ['use_for_bootstrap'], report) },
  {
    to: '8.3',
    run: (root, report) =>
      renameAttr(root, 'type', 'btrfs_root_is_snapshot', 'btrfs_root_is_snapper_snapshot', report),
  },
  {
    to: '8.4',
    run(root, report) {
      for (const [el] of elementsNamed(root, 'bootloader')) {
        const consoleValue = el.attrs.console;
        if (consoleValue === undefined) continue;
        delete el.attrs.console;
        const space = consoleValue.indexOf(' ');
        if (space >= 0) {
          el.attrs.output_console = consoleValue.slice(0, space);
          el.attrs.input_console = consoleValue.slice(space + 1);
        } else el.attrs.output_console = consoleValue;
        report(el, 'split bootloader console= into output_console= and input_console=');
      }
    },
  },
  { to: '8.5', run: (root, report) => dropAttr(root, 'type', ['vga'], report) },
];

export interface UpgradeResult {
  from: string;
  diagnostics: Diagnostic[];
}

/** Upgrades `root` in place to schema 8.5. Fragments without schemaversion are taken as current. */
export function upgradeToLatest(root: XElement, file: string): UpgradeResult {
  const from = root.attrs.schemaversion ?? LATEST_SCHEMA;
  const diagnostics: Diagnostic[] = [];
  if (!/^\d+\.\d+$/.test(from)) {
    diagnostics.push(
      diag(
        kiwiCodes.badValue,
        { what: 'schemaversion', value: from, expected: 'a version such as 8.5' },
        { file, ...(root.attrPos.schemaversion ?? root.pos) },
      ),
    );
    return { from, diagnostics };
  }
  if (compareVersions(from, '6.0') < 0) {
    diagnostics.push(
      diag(kiwiCodes.schemaVeryOld, { version: from }, { file, ...(root.attrPos.schemaversion ?? root.pos) }),
    );
  }
  let current = from;
  for (const step of steps) {
    if (compareVersions(current, step.to) >= 0) continue;
    const prev = current;
    step.run(root, (el, change) =>
      diagnostics.push(
        diag(
          kiwiCodes.schemaUpgraded,
          { from: prev, to: step.to, change },
          { file: el.file ?? file, ...el.pos },
        ),
      ),
    );
    current = step.to;
  }
  if (compareVersions(from, LATEST_SCHEMA) < 0) {
    root.attrs.schemaversion = LATEST_SCHEMA;
  }
  return { from, diagnostics };
}
