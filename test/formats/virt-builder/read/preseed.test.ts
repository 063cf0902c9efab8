import { describe, expect, it } from 'vitest';
import { lowerPreseed } from '../../../../src/formats/virt-builder/read/lower.js';
import { parsePreseed } from '../../../../src/formats/virt-builder/read/preseed.js';

const text = `# the Debian template's answers
d-i debian-installer/locale string en_US.UTF-8
d-i mirror/http/hostname string deb.debian.org
d-i mirror/suite string bookworm
d-i passwd/root-password password builder
d-i passwd/root-password-again password builder
d-i time/zone string Europe/Berlin
d-i pkgsel/include string openssh-server, curl
d-i partman-auto/expert_recipe string root :: 500 10000 1000000 ext4 \\
\tmountpoint{ / } .
tasksel tasksel/first multiselect standard, ssh-server
`;

describe('preseed templates', () => {
  const parsed = parsePreseed(text, 'debian.preseed');
  const lowered = lowerPreseed(parsed.answers);

  it('joins continued lines and keeps each answer at its line', () => {
    expect(parsed.diagnostics).toEqual([]);
    const recipe = parsed.answers.find((a) => a.question === 'partman-auto/expert_recipe');
    expect(recipe?.value).toBe('root :: 500 10000 1000000 ext4 mountpoint{ / } .');
    expect(recipe?.at.line).toBe(9);
  });

  it('lowers what the IR has fields for, with the mirror naming the distribution in a note', () => {
    const { ir } = lowered;
    expect(ir.distribution).toEqual({ id: 'debian', release: 'bookworm' });
    expect(ir.accounts.root?.password).toEqual({ plain: 'builder' });
    expect(ir.system.timezone).toBe('Europe/Berlin');
    expect(ir.system.locale).toBe('en_US.UTF-8');
    expect(ir.packages.install.map((p) => p.name)).toEqual(['openssh-server', 'curl']);
    expect(lowered.positions['/distribution/id']?.line).toBe(3);
    expect(lowered.diagnostics.map((d) => d.code)).toEqual(['IMGC2710', 'IMGC2705']);
  });

  it('keeps every other answer as extension data', () => {
    const kept = (lowered.ir.extensions['virt-builder'] as { preseed: string[] }).preseed;
    expect(kept).toContain('tasksel tasksel/first multiselect standard, ssh-server');
    expect(kept.some((l) => l.startsWith('d-i partman-auto/expert_recipe string root ::'))).toBe(true);
  });

  it('refuses a line that is not owner question type value, at its line', () => {
    const bad = parsePreseed('d-i time/zone string UTC\nd-i lonely\n', 'x.preseed');
    expect(bad.diagnostics.map((d) => [d.code, d.line])).toEqual([['IMGC2709', 2]]);
  });
});
