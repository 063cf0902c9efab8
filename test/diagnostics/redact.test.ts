import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/diagnostics/redact.js';
import { renderDiagnostics } from '../../src/diagnostics/render.js';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'imgc-redact-')), name);
  writeFileSync(path, text);
  return path;
}

describe('secrets in printed text', () => {
  it.each([
    ['password = "hunter2"', 'password = "<redacted>"'],
    ['rootpw --plaintext hunter2', 'rootpw --plaintext <redacted>'],
    ['rootpw --iscrypted $6$salt$abcdef', 'rootpw --iscrypted <redacted>'],
    ['user --name=a --password=hunter2 --plaintext', 'user --name=a --password=<redacted> --plaintext'],
    [
      '<user name="a" password="$6$salt$abc" home="/home/a"/>',
      '<user name="a" password="<redacted>" home="/home/a"/>',
    ],
    ['"hash": "$y$j9T$salt$hash"', '"hash": "<redacted>"'],
    ['url = "https://bob:hunter2@repo.example/x"', 'url = "https://bob:<redacted>@repo.example/x"'],
    ['name = "vim"', 'name = "vim"'],
  ])('%s', (line, shown) => {
    expect(redactSecrets(line)).toBe(shown);
  });

  it('IMGC2018 names the user without printing the clear-text password line', async () => {
    const path = file(
      'bp.toml',
      'name = "x"\n\n[[customizations.user]]\nname = "alice"\npassword = "hunter2"\n',
    );
    const { diagnostics } = await loadDefinition(new FormatRegistry(), path);
    expect(diagnostics.map((d) => d.code)).toContain('IMGC2018');
    const text = renderDiagnostics(diagnostics);
    expect(text).toContain('IMGC2018');
    expect(text).toContain('password = "<redacted>"');
    expect(text).not.toContain('hunter2');
  });

  it('cuts the frame of a one-line file around the column instead of printing the whole file', async () => {
    const filler = Array.from({ length: 400 }, (_, i) => `"k${i}": ${i}`).join(', ');
    const text = `{"irVersion": 1, ${filler}, "oops": }`;
    const path = file('one-line.ir.json', text);
    const { diagnostics } = await loadDefinition(new FormatRegistry(), path, { from: 'ir' });
    const rendered = renderDiagnostics(diagnostics);
    const frame = rendered.split('\n').filter((l) => l.includes(' | '));
    expect(frame.length).toBeGreaterThan(0);
    for (const l of frame) expect(l.length).toBeLessThan(140);
    const [code, caret] = frame.map((l) => l.slice(l.indexOf(' | ') + 3));
    // the caret still points at what the diagnostic is about
    expect(code!.slice(caret!.indexOf('^'), caret!.indexOf('^') + 1)).toBe('}');
  });
});
