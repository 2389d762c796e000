#!/usr/bin/env bash
# Downloads the real-artifact corpus of check-dist (tests/it/dist/corpus.rs) once
# into a cache: for each project below, its sdist, one manylinux x86_64 wheel and
# one macOS universal2 wheel (arm64 + x86_64 where the release has no universal2).
# Called by scripts/test.sh; run it by hand to get the corpus locally.
#
# Versions are pinned so that the verdicts are reproducible: PyPI closes a release
# to new files after 14 days, so a pinned version always names the same files, and
# each file is checked against the sha256 the index gives.
#
# Files come from PyPI's simple API (JSON form, PEP 691) with Python's urllib, not
# `pip download`: pip cannot fetch an sdist without building its metadata (with
# `--no-binary :all:` it even builds maturin itself from source).
#
# The cache: $CARGO_PYPI_CORPUS, else target/corpus. Never committed (target/ is
# ignored). Each project lands in a folder of its own, written whole or not at all.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${CARGO_PYPI_CORPUS:-$PWD/target/corpus}"
mkdir -p "$corpus"
index="${CARGO_PYPI_CORPUS_INDEX:-https://pypi.org/simple}"

# project version [old-maturin]: what built each wheel is read from its WHEEL
# file by the test (maturin, or setuptools with setuptools-rust: bcrypt, tiktoken).
projects="
orjson 3.13.0
orjson 3.10.15 old-maturin
pydantic-core 2.50.5
rpds-py 2026.9.1
jiter 0.19.0
nh3 0.3.8
bcrypt 5.0.0
watchfiles 1.3.0
safetensors 0.8.0
blake3 1.0.11
ormsgpack 1.13.1
css-inline 0.24.0
rustworkx 0.18.1
tiktoken 0.14.0
cryptography 50.0.2
tokenizers 0.23.3
jellyfish 1.3.0
"

exec python3 - "$corpus" "$index" "$projects" <<'PY'
import concurrent.futures, hashlib, json, os, re, sys, tempfile, urllib.request

corpus, index, table = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]

def fetch(url, accept=None):
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.read()

def preference(tag):
    """cp312 first, then the stable ABI, then pure Python; never free-threaded or PyPy."""
    py, abi = tag[0], tag[1]
    if abi.endswith("t") or py.startswith("pp"):
        return None
    if "cp312" in py.split(".") and abi != "abi3":
        return 0
    if abi == "abi3":
        return 1
    if py.startswith("py3"):
        return 2
    return None

def best(wheels, want):
    ranked = []
    for f in wheels:
        parts = f["filename"][:-4].split("-")
        tag = parts[-3:]
        rank = preference(tag)
        if rank is not None and want(tag[2]):
            ranked.append((rank, f["filename"], f))
    return [min(ranked)[2]] if ranked else []

def select(files, version, old):
    mine = [f for f in files if not f.get("yanked")]
    sdist = [f for f in mine if f["filename"].endswith(f"-{version}.tar.gz")]
    wheels = [f for f in mine if f["filename"].endswith(".whl")
              and f["filename"].split("-")[1] == version]
    linux = best(wheels, lambda p: any(re.match(r"manylinux.*x86_64$", x) for x in p.split(".")))
    mac = best(wheels, lambda p: "universal2" in p)
    note = ""
    if not mac:
        arches = [a for a in ("arm64", "x86_64")
                  if best(wheels, lambda p, a=a: "macosx" in p and p.endswith(a))]
        mac = [w for a in arches
               for w in best(wheels, lambda p, a=a: "macosx" in p and p.endswith(a))]
        note = "no universal2 wheel: macOS " + " and ".join(arches)
    if old:
        # Kept for its compressed WHEEL Tag line only.
        return mac, "macOS universal2 wheel of maturin <= 1.9.6 only"
    return sdist[:1] + linux + mac, note

def get(project, version, note):
    folder = os.path.join(corpus, f"{project}-{version}")
    done = os.path.join(folder, "FILES")
    if os.path.exists(done):
        return open(done).read()
    page = json.loads(fetch(f"{index}/{project}/", "application/vnd.pypi.simple.v1+json"))
    chosen, why = select(page["files"], version, note == "old-maturin")
    if not chosen:
        raise SystemExit(f"corpus: no files of {project} {version} on {index}")
    tmp = tempfile.mkdtemp(prefix=f".{project}-", dir=corpus)
    lines = []
    for f in chosen:
        data = fetch(f["url"])
        digest = hashlib.sha256(data).hexdigest()
        if digest != f["hashes"].get("sha256", digest):
            raise SystemExit(f"corpus: {f['filename']}: sha256 {digest} is not the index's")
        with open(os.path.join(tmp, f["filename"]), "wb") as out:
            out.write(data)
        lines.append(f"{f['filename']} {digest}")
    text = f"# {project} {version} {why}\n" + "\n".join(lines) + "\n"
    with open(os.path.join(tmp, "FILES"), "w") as out:
        out.write(text)
    try:
        os.rename(tmp, folder)
    except OSError:  # another run got there first
        pass
    return text

rows = [line.split() for line in table.strip().splitlines()]
with concurrent.futures.ThreadPoolExecutor(4) as pool:
    jobs = [pool.submit(get, r[0], r[1], r[2] if len(r) > 2 else "") for r in rows]
    for job in jobs:
        head = job.result().splitlines()[0]
        print(f"corpus: {head[2:]}")
with open(os.path.join(corpus, "PROJECTS"), "w") as out:
    out.write("".join(f"{r[0]}-{r[1]}\n" for r in rows))
PY
