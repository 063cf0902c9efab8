# Turns versions.json (facts dumped from pykickstart metadata) into a compact TS table.
import json, sys
d = json.load(open(sys.argv[1]))
sets = []
index = {}
def enc(opts):
    out = []
    for o in opts:
        if 'pos' in o:
            out.append(f"<{o['pos']}:{o['nargs']}>")
            continue
        s = '|'.join(o['names'])
        if o['value']: s += '=?' if o.get('optionalValue') else '='
        if o.get('required'): s += '!'
        if o.get('deprecated'): s += '~'
        out.append(s)
    return out
def ref(opts):
    if opts is None: return -1
    key = json.dumps(enc(opts))
    if key not in index:
        index[key] = len(sets); sets.append(enc(opts))
    return index[key]
table = {}
for v, body in d.items():
    cmds = {}
    for name, c in body['commands'].items():
        cmds[name] = c['status'] if c['status'] != 'ok' else ref(c.get('options'))
    secs = {name: ref(o) for name, o in body['sections'].items()}
    table[v] = {'commands': cmds, 'sections': secs}
lines = ['/**',
 ' * Which kickstart commands, sections and options exist in each supported version, as data.',
 ' * Generated from the command and option metadata of pykickstart 3.74 (names and flags only);',
 ' * see docs/formats/kickstart.md for how it was produced. Do not edit by hand.',
 ' *',
 ' * An option spec is `--name|--alias` followed by `=` (takes a value) or `=?` (optional value),',
 ' * `!` (required) and `~` (deprecated: accepted, ignored, warned). `<dest:nargs>` is a positional.',
 ' * A command is an index into OPTION_SETS, or "deprecated" / "removed".',
 ' */',
 '// biome-ignore-all format: generated data',
 f'export const OPTION_SETS: readonly (readonly string[])[] = {json.dumps(sets)};',
 '',
 'export type CommandEntry = number | \'deprecated\' | \'removed\';',
 'export interface VersionEntry { commands: Record<string, CommandEntry>; sections: Record<string, number> }',
 f'export const VERSION_DATA: Record<string, VersionEntry> = {json.dumps(table, sort_keys=True)};',
 '']
open(sys.argv[2], 'w').write('\n'.join(lines))
