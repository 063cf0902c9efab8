# Dumps per-version command/option facts from pykickstart (run outside the repo).
import json, os, sys, argparse
sys.path.insert(0, os.environ.get('PYKICKSTART', '/tmp/ref/pykickstart'))
from pykickstart.version import makeVersion, stringToVersion
from pykickstart.base import DeprecatedCommand, RemovedCommand
from pykickstart.parser import KickstartParser
from pykickstart import sections

VERSIONS = ['RHEL5','RHEL6','RHEL7','RHEL8','RHEL9','RHEL10'] + ['F%d' % n for n in range(7, 46)]

def opts_of(parser):
    out = []
    positionals = 0
    for a in parser._actions:
        if isinstance(a, argparse._HelpAction):
            continue
        if not a.option_strings:
            positionals += 1
            out.append({'pos': a.dest, 'nargs': a.nargs if a.nargs is not None else 1})
            continue
        takes = a.nargs != 0 and not isinstance(a, (argparse._StoreTrueAction, argparse._StoreFalseAction, argparse._StoreConstAction, argparse._CountAction, argparse._AppendConstAction))
        o = {'names': list(a.option_strings), 'value': bool(takes)}
        if a.nargs == '?': o['optionalValue'] = True
        if a.required: o['required'] = True
        if getattr(a, 'deprecated', False): o['deprecated'] = True
        if a.choices: o['choices'] = list(a.choices)
        out.append(o)
    return out

classes = {}
versions = {}
for v in VERSIONS:
    h = makeVersion(stringToVersion(v))
    cmds = {}
    for name, cmd in sorted(h.commands.items()):
        cls = type(cmd).__name__
        status = 'removed' if isinstance(cmd, RemovedCommand) else 'deprecated' if isinstance(cmd, DeprecatedCommand) else 'ok'
        cmds[name] = {'class': cls, 'status': status}
        key = f'{cls}@{v}'
        if status == 'ok':
            try:
                p = cmd._getParser()
                entry = opts_of(p)
            except Exception as e:
                entry = None
            cmds[name]['options'] = entry
    p = KickstartParser(h)
    secs = {}
    for sname, sobj in sorted(p._sections.items()):
        if hasattr(sobj, '_getParser'):
            try:
                secs[sname] = opts_of(sobj._getParser())
            except Exception as e:
                secs[sname] = None
        else:
            secs[sname] = None
    versions[v] = {'commands': cmds, 'sections': secs}
json.dump(versions, sys.stdout, indent=1, sort_keys=True)
