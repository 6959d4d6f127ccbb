#!/usr/bin/env bash
# Builds a release bundle as Maven Central would receive it and checks it the way Central does,
# without uploading anything:
#   ./scripts/release-check.sh [version]      (default: the project's version without -SNAPSHOT)
# A copy of the work tree gets the release version; `deploy -Prelease` writes the bundle into a
# local folder, signed by a throwaway key generated here (never committed, deleted afterwards).
# Checked per published artifact: POM, jar, sources and Javadoc jars present; every file signed
# (signature verified) with .md5/.sha1 checksums that match; the POM (with its parents in the
# bundle) names name, description, url, license, developer and scm; no SNAPSHOT version; and no
# unpublished module (rig, failure suite, sample, benchmark) in the bundle.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d /tmp/outbox-release-check.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

snapshot="$(sed -n 's|^    <version>\(.*\)</version>|\1|p' "$ROOT/pom.xml" | head -n 1)"
version="${1:-${snapshot%-SNAPSHOT}}"
echo "release-check: bundle of version $version in $WORK/bundle" >&2

# The work tree as it is (uncommitted changes included), without build output.
mkdir -p "$WORK/src"
(cd "$ROOT" && git ls-files -co --exclude-standard -z | tar --null -T - --ignore-failed-read -cf - 2>/dev/null) |
  tar -xf - -C "$WORK/src"
find "$WORK/src" -name pom.xml -exec sed -i "s|<version>$snapshot</version>|<version>$version</version>|" {} +
chmod +x "$WORK/src/mvnw"

export GNUPGHOME="$WORK/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'outbox release check (throwaway) <release-check@invalid>' ed25519 sign 1d
(cd "$WORK/src" && ./mvnw -B -ntp -q -Prelease -DskipTests deploy \
  -DaltDeploymentRepository="bundle::file://$WORK/bundle") >&2

python3 - "$WORK/bundle" "$version" <<'EOF'
import hashlib, os, subprocess, sys
import xml.etree.ElementTree as ET
bundle, version = sys.argv[1], sys.argv[2]
NS = {'m': 'http://maven.apache.org/POM/4.0.0'}
PUBLISHED = {'outbox-parent': 'pom', 'outbox-bom': 'pom', 'outbox-contract': 'jar',
             'outbox-spring-boot-starter': 'jar', 'outbox-relay': 'jar', 'outbox-test': 'jar'}
REQUIRED = ['m:name', 'm:description', 'm:url', 'm:licenses/m:license/m:name',
            'm:developers/m:developer', 'm:scm/m:url', 'm:scm/m:connection']
problems = []
group_dir = os.path.join(bundle, 'dev', 'outbox')
found = sorted(os.listdir(group_dir))
for name in found:
    if name not in PUBLISHED:
        problems.append(f'{name}: is not a published module but is in the bundle')
for name in PUBLISHED:
    if name not in found:
        problems.append(f'{name}: missing from the bundle')
poms = {}
for name, packaging in PUBLISHED.items():
    folder = os.path.join(group_dir, name, version)
    if not os.path.isdir(folder):
        continue
    base = f'{name}-{version}'
    files = [base + '.pom'] + ([base + '.jar', base + '-sources.jar', base + '-javadoc.jar'] if packaging == 'jar' else [])
    for f in files:
        path = os.path.join(folder, f)
        if not os.path.exists(path):
            problems.append(f'{name}: {f} missing')
            continue
        data = open(path, 'rb').read()
        for algorithm in ('md5', 'sha1'):
            digest = os.path.join(folder, f + '.' + algorithm)
            if not os.path.exists(digest):
                problems.append(f'{name}: {f}.{algorithm} missing')
            elif open(digest).read().split()[0] != hashlib.new(algorithm, data).hexdigest():
                problems.append(f'{name}: {f}.{algorithm} does not match')
        signature = path + '.asc'
        if not os.path.exists(signature):
            problems.append(f'{name}: {f}.asc missing')
        elif subprocess.run(['gpg', '--batch', '--verify', signature, path], capture_output=True).returncode != 0:
            problems.append(f'{name}: {f}.asc does not verify')
    pom_path = os.path.join(folder, base + '.pom')
    if os.path.exists(pom_path):
        poms[name] = ET.parse(pom_path).getroot()
def lookup(name, path):
    root = poms.get(name)
    while root is not None:
        if root.find(path, NS) is not None:
            return True
        parent = root.find('m:parent/m:artifactId', NS)
        root = poms.get(parent.text) if parent is not None else None
    return False
for name, root in poms.items():
    for path in REQUIRED:
        if not lookup(name, path):
            problems.append(f'{name}: POM (with its parents in the bundle) has no {path.replace("m:", "")}')
    own = root.find('m:version', NS)
    if own is not None and own.text.endswith('-SNAPSHOT'):
        problems.append(f'{name}: version {own.text} is a SNAPSHOT')
for p in problems:
    print('release-check: ' + p, file=sys.stderr)
if problems:
    sys.exit(1)
print(f'release-check: bundle of {version} passes: {", ".join(sorted(poms))} '
      '(POM metadata, jars, sources, Javadoc, signatures, checksums)')
EOF
