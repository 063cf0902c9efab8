/**
 * Where a run's time went. KIWI: its log stamps every line to the second; each top-level
 * message (not a `-->` detail) opens a phase that lasts until the next one. imgc: the
 * `done in N s` of each step it prints.
 */
export type Phases = Record<string, number>;

const KIWI_LINE = /^\[ (?:INFO|WARNING|ERROR)\s*\]: (\d\d):(\d\d):(\d\d) \| (.*)$/;

/** A message without the paths and numbers that differ from run to run. */
function phaseName(message: string): string {
  return message
    .replace(/:(\s.*)?$/, '')
    .replace(/\/\S+/g, '…')
    .replace(/\d+(\.\d+)?/g, 'N')
    .slice(0, 70);
}

export function kiwiPhases(log: string): Phases {
  const marks: { at: number; name: string }[] = [];
  for (const line of log.split('\n')) {
    const m = KIWI_LINE.exec(line);
    if (!m) continue;
    const [, h, min, s, message] = m;
    let at = Number(h) * 3600 + Number(min) * 60 + Number(s);
    // a build across midnight
    if (marks.length && at < marks[marks.length - 1]!.at) at += 86_400;
    if (/^\s*-->|^\s/.test(message!)) {
      marks.push({ at, name: '' });
      continue;
    }
    marks.push({ at, name: phaseName(message!) });
  }
  const phases: Phases = {};
  let open: { at: number; name: string } | undefined;
  for (const mark of marks) {
    if (!mark.name) continue;
    if (open) phases[open.name] = (phases[open.name] ?? 0) + mark.at - open.at;
    open = mark;
  }
  const last = marks[marks.length - 1];
  if (open && last) phases[open.name] = (phases[open.name] ?? 0) + last.at - open.at;
  return phases;
}

export function imgcSteps(log: string): Phases {
  const steps: Phases = {};
  for (const m of log.matchAll(/\] (.+?): done in ([\d.]+) s/g)) {
    const name = m[1]!.replace(/\d+ packages/, 'N packages');
    steps[name] = (steps[name] ?? 0) + Number(m[2]);
  }
  return steps;
}
