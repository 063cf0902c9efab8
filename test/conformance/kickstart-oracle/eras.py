# Records pykickstart's verdict on every era fixture under every version imgc supports (run
# outside the repo). From the repo root:
#   PYKICKSTART=/path/to/pykickstart python3 test/conformance/kickstart-oracle/eras.py \
#     > test/conformance/kickstart-eras-golden.json
import json, os, sys, warnings, io, contextlib
sys.path.insert(0, os.environ.get('PYKICKSTART', '/tmp/ref/pykickstart'))
from pykickstart.version import makeVersion, stringToVersion
from pykickstart.parser import KickstartParser

FIXTURES = os.environ.get('KS_ERAS', 'test/conformance/kickstart-eras')
VERSIONS = ['RHEL5', 'RHEL6', 'RHEL7', 'RHEL8', 'RHEL9', 'RHEL10'] + ['F%d' % n for n in range(7, 46)]

def verdict(path, ver):
    h = makeVersion(stringToVersion(ver))
    p = KickstartParser(h, followIncludes=False, errorsAreFatal=False)
    fatal = None
    with warnings.catch_warnings(record=True) as ws, contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter('always')
        try:
            p.readKickstart(path)
        except Exception as e:
            fatal = f'{type(e).__name__}: {e}'
    kswarn = [w for w in ws if 'Kickstart' in type(w.message).__name__]
    return {'accepted': fatal is None and p.errorsCount == 0, 'errors': p.errorsCount + (1 if fatal else 0),
            'warnings': len(kswarn)}

out = {'source': 'pykickstart 3.74 (commit 435ebbef), run from its source outside the repo by test/conformance/kickstart-oracle/eras.py', 'files': {}}
for name in sorted(os.listdir(FIXTURES)):
    if not name.endswith('.ks'): continue
    path = os.path.join(FIXTURES, name)
    out['files'][name] = {v: verdict(path, v) for v in VERSIONS}
json.dump(out, sys.stdout, indent=1, sort_keys=True)
