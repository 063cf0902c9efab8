#!/usr/bin/python3
# pykickstart's verdict on every written kickstart of a translate-corpus.mjs run, read with the
# version its #version= line names (F45 unless told), as ksvalidator does without includes.
#   PYKICKSTART=/path/to/pykickstart python3 bench/acceptance/kickstart-judge.py OUT/results.json
import contextlib, glob, io, json, os, sys, warnings

sys.path.insert(0, os.environ.get('PYKICKSTART', '/tmp/ref/pykickstart'))
from pykickstart.parser import KickstartParser  # noqa: E402
from pykickstart.version import makeVersion  # noqa: E402


def verdict(text):
    version = 'F45'
    for line in text.splitlines():
        if line.startswith('#version='):
            version = line.split('=', 1)[1].strip()
    parser = KickstartParser(makeVersion(version), followIncludes=False, missingIncludeIsFatal=False)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter('ignore')
            parser.readKickstartFromString(text)
        return None
    except Exception as e:  # pykickstart raises several error types; each is a rejection
        return ' '.join(str(e).split())


rows = json.load(open(sys.argv[1]))
accepted, rejected = 0, []
for row in rows:
    if row['code'] != 0:
        continue
    for path in glob.glob(os.path.join(row['out'], '*.ks')):
        error = verdict(open(path).read())
        if error is None:
            accepted += 1
        else:
            rejected.append((row['file'], error[:240]))
print(f'pykickstart accepted {accepted} of {accepted + len(rejected)} written kickstarts '
      f'({sum(1 for r in rows if r["code"] != 0)} definitions translate refused or could not read)')
for file, error in rejected:
    print(f'  {file}: {error}')
