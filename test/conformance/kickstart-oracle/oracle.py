# Reads every top-level corpus kickstart with pykickstart (run outside the repo) and records
# the values imgc is compared against. Run from the repo root:
#   PYKICKSTART=/path/to/pykickstart python3 test/conformance/kickstart-oracle/oracle.py \
#     > test/conformance/kickstart-golden.json
import json, os, sys, warnings, io, contextlib, re
sys.path.insert(0, os.environ.get('PYKICKSTART', '/tmp/ref/pykickstart'))
from pykickstart.version import makeVersion, stringToVersion
from pykickstart.parser import KickstartParser
from pykickstart.errors import KickstartError
from pykickstart.load import load_to_str

CORPUS = os.environ.get('KS_CORPUS', '../shared/corpus/kickstart')
RUNTIME = re.compile(r'^(/tmp/|/run/|/mnt/|[a-z]+://)')

def version_for(distro, staged):
    d = distro.lower()
    m = re.match(r'(almalinux|rocky|rhel)-(\d+)', d)
    if m: return 'RHEL' + m.group(2)
    if 'edge' in d: return 'RHEL9'
    if 'historical' in d: return 'F39'
    if staged.startswith('rhinstaller+kickstart-tests/'): return 'F45'
    if 'templated' in d: return 'F39'
    return 'F43'

def search_path(staged):
    if staged.startswith('rhinstaller+kickstart-tests/'):
        base = 'rhinstaller+kickstart-tests/fragments/'
        return [base + 'platform/fedora_rawhide', base + 'shared', base + 'platform/rhel9']
    return []

def preprocess(path, extra_dirs):
    """%ksappend expansion as pykickstart does it, but resolving relative names against the
    including file's folder and then the extra search folders (the kickstart-tests layout)."""
    out = []
    for line in load_to_str(path).splitlines(True):
        ll = line.strip()
        if not ll.startswith('%ksappend'):
            out.append(line); continue
        name = ll.split(' ')[1]
        cands = [name] if name.startswith('/') else [os.path.join(os.path.dirname(path), name)] + [os.path.join(CORPUS, d, name) for d in extra_dirs]
        found = next((c for c in cands if os.path.exists(c)), None)
        if found is None:
            raise KickstartError('Unable to open %%ksappend file: %s' % name)
        out.append(load_to_str(found))
    return ''.join(out)

class Oracle(KickstartParser):
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.opened = []
        self.runtime_includes = []
    def readKickstart(self, f, reset=True):
        if self._includeDepth > 0 and RUNTIME.match(f):
            self.runtime_includes.append(f); return
        if not os.path.exists(f) and self._includeDepth - 1 in self.currentdir:
            g = os.path.join(self.currentdir[self._includeDepth - 1], f)
            if os.path.exists(g): f = g
        self.opened.append(os.path.relpath(os.path.abspath(f), CORPUS))
        return super().readKickstart(f, reset)

def run(path, ver, extra, strict):
    h = makeVersion(stringToVersion(ver))
    p = Oracle(h, followIncludes=True, errorsAreFatal=strict, missingIncludeIsFatal=True)
    stderr = io.StringIO()
    fatal = None
    with warnings.catch_warnings(record=True) as ws, contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter('always')
        try:
            text = preprocess(path, extra)
            p.opened.append(os.path.relpath(path, CORPUS))
            p.currentdir[0] = os.path.dirname(os.path.abspath(path))
            p.readKickstartFromString(text)
        except Exception as e:
            fatal = f'{type(e).__name__}: {e}'
    kswarn = [str(w.message) for w in ws if 'Kickstart' in type(w.message).__name__]
    return h, p, fatal, kswarn, stderr.getvalue()

def values(h):
    pk = h.packages
    groups = sorted(g.name for g in pk.groupList)
    nets = [n.hostname for n in h.network.network if getattr(n, 'hostname', None)]
    return {
        'packages': sorted(pk.packageList),
        'groups': groups,
        'environment': pk.environment,
        'excludedPackages': sorted(pk.excludedList),
        'excludedGroups': sorted(g.name for g in pk.excludedGroupList),
        'lang': h.lang.lang or None,
        'timezone': h.timezone.timezone or None,
        'hostname': nets[-1] if nets else None,
        'servicesEnabled': list(h.services.enabled),
        'bootloaderAppend': h.bootloader.appendLine or None,
        'repoNames': [r.name for r in h.repo.repoList],
        'userNames': [u.name for u in h.user.userList],
    }

def opt(obj, name, default=None):
    value = getattr(obj, name, default)
    return default if value is False or value == '' or value == [] else value

def extended(h):
    """More of what pykickstart read, beyond the fields the issue names."""
    seen = lambda c: getattr(c, 'seen', False)
    return {
        'partitions': [{'mnt': p.mountpoint, 'size': opt(p, 'size'), 'maxsize': opt(p, 'maxSizeMB'), 'fstype': opt(p, 'fstype'),
                        'grow': bool(p.grow), 'label': opt(p, 'label'), 'ondisk': opt(p, 'disk')} for p in h.partition.partitions],
        'logvols': [{'mnt': l.mountpoint, 'vg': l.vgname, 'name': l.name, 'size': opt(l, 'size'), 'fstype': opt(l, 'fstype'),
                     'grow': bool(l.grow)} for l in h.logvol.lvList],
        'volgroups': [{'name': v.vgname, 'pvs': list(v.physvols)} for v in h.volgroup.vgList],
        'raids': [{'device': r.device, 'level': opt(r, 'level'), 'members': list(r.members), 'mnt': r.mountpoint} for r in h.raid.raidList],
        'scripts': [{'type': s.type, 'chroot': bool(s.inChroot), 'interp': s.interp, 'errorOnFail': bool(s.errorOnFail),
                     'log': opt(s, 'logfile'), 'body': s.script.strip()} for s in h.scripts],
        'rootpw': {'crypted': bool(h.rootpw.isCrypted), 'lock': bool(h.rootpw.lock), 'password': opt(h.rootpw, 'password')} if seen(h.rootpw) else None,
        'keymap': opt(h.keyboard, 'vc_keymap') or opt(h.keyboard, '_keyboard'),
        'selinux': h.selinux.selinux,
        'firewall': {'enabled': h.firewall.enabled, 'services': sorted(opt(h.firewall, 'services', [])),
                     'ports': sorted(opt(h.firewall, 'ports', []))} if seen(h.firewall) else None,
        'clearpart': {'type': h.clearpart.type, 'initAll': bool(h.clearpart.initAll), 'disklabel': opt(h.clearpart, 'disklabel'),
                      'drives': opt(h.clearpart, 'drives', [])} if seen(h.clearpart) else None,
        'zerombr': bool(h.zerombr.zerombr),
        'autopart': {'type': opt(h.autopart, 'type')} if h.autopart.autopart else None,
        'utc': bool(getattr(h.timezone, 'isUtc', False)),
        'servicesDisabled': list(h.services.disabled),
        'url': {'url': opt(h.url, 'url'), 'mirrorlist': opt(h.url, 'mirrorlist'), 'metalink': opt(h.url, 'metalink')} if seen(h.url) else None,
        'repos': [{'name': r.name, 'baseurl': opt(r, 'baseurl'), 'mirrorlist': opt(r, 'mirrorlist'), 'metalink': opt(r, 'metalink')}
                  for r in h.repo.repoList],
        'users': [{'name': u.name, 'groups': list(u.groups), 'uid': u.uid, 'crypted': bool(u.isCrypted), 'lock': bool(u.lock)}
                  for u in h.user.userList],
    }

rows = []
with open(os.path.join(CORPUS, 'MANIFEST.tsv')) as f:
    header = f.readline().rstrip('\n').split('\t')
    for line in f:
        r = dict(zip(header, line.rstrip('\n').split('\t')))
        if 'fragment' in r['purpose']: continue
        rows.append(r)

out = {'source': 'pykickstart 3.74 (commit 435ebbef), run from its source outside the repo by test/conformance/kickstart-oracle/oracle.py', 'files': {}}
for r in rows:
    staged = r['staged_path']
    path = os.path.join(CORPUS, staged)
    ver = version_for(r['distro'], staged)
    extra = search_path(staged)
    h, p, fatal, kswarn, err = run(path, ver, extra, strict=False)
    entry = {
        'version': ver,
        'includePath': extra,
        'accepted': fatal is None and p.errorsCount == 0,
        'errors': p.errorsCount + (1 if fatal else 0),
        'filesRead': p.opened,
        'runtimeIncludes': p.runtime_includes,
    }
    if fatal is None:
        entry['values'] = values(h)
        entry['extended'] = extended(h)
    out['files'][staged] = entry
json.dump(out, sys.stdout, indent=1, sort_keys=True)
