#!/usr/bin/env python3
"""Prints, as JSON, the kidney entry of scikit-image's own dataset registry.

Reads skimage/data/_registry.py as text (parsed with `ast`, nothing of
scikit-image is imported, so NumPy is not needed) from Debian's
python3-skimage: the installed package, or a .deb given with --deb (e.g. one
fetched with `apt-get download python3-skimage`). Prints the entry's sha256
and URL together with where they came from (package, versions, file path, the
file's own sha256), for tests/fixtures/data/skimage_registry_kidney.json,
which tests/data_registry_test.ts compares with lib/data/registry.ts.

Usage:
  python3 scripts/extract_skimage_registry.py [--deb FILE.deb] \\
    > tests/fixtures/data/skimage_registry_kidney.json
"""

import argparse
import ast
import hashlib
import importlib.util
import io
import json
import os
import subprocess
import sys
import tarfile

PACKAGE = "python3-skimage"
REGISTRY_FILE = "/usr/lib/python3/dist-packages/skimage/data/_registry.py"
INIT_FILE = "/usr/lib/python3/dist-packages/skimage/__init__.py"
KEY = "data/kidney.tif"
SCRIPT = "scripts/extract_skimage_registry.py"


def run(*args):
    """The stripped stdout of a command; raises if it fails."""
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()


def from_deb(deb):
    """(registry text, __init__ text, package name, package version) from a .deb."""
    data = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        def read(path):
            return archive.extractfile("." + path).read()
        texts = read(REGISTRY_FILE), read(INIT_FILE)
    return (*texts, run("dpkg-deb", "-f", deb, "Package"), run("dpkg-deb", "-f", deb, "Version"))


def from_installed():
    """The same, from the installed package (found without importing scikit-image)."""
    spec = importlib.util.find_spec("skimage")
    if spec is None or spec.origin is None:
        sys.exit(f"{SCRIPT}: scikit-image is not installed; install {PACKAGE} or pass --deb FILE.deb")
    folder = os.path.dirname(spec.origin)
    registry_path = os.path.join(folder, "data", "_registry.py")
    if os.path.realpath(registry_path) != REGISTRY_FILE:
        sys.exit(f"{SCRIPT}: {registry_path} is not Debian's {REGISTRY_FILE}; pass --deb FILE.deb")
    with open(registry_path, "rb") as f:
        registry = f.read()
    with open(os.path.join(folder, "__init__.py"), "rb") as f:
        init = f.read()
    package = run("dpkg-query", "-S", REGISTRY_FILE).split(":")[0]
    return registry, init, package, run("dpkg-query", "-W", "-f=${Version}", package)


def assignments(source, names):
    """The literal values of the top-level assignments to `names` in Python `source`."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id in names:
                found[target.id] = ast.literal_eval(node.value)
    missing = [name for name in names if name not in found]
    if missing:
        sys.exit(f"{SCRIPT}: no top-level {', '.join(missing)} in the source")
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deb", help=f"a {PACKAGE} .deb to read instead of the installed package")
    args = parser.parse_args()
    registry_bytes, init_bytes, package, version = from_deb(args.deb) if args.deb else from_installed()
    tables = assignments(registry_bytes.decode("utf-8"), ["registry", "registry_urls"])
    skimage_version = assignments(init_bytes.decode("utf-8"), ["__version__"])["__version__"]
    if KEY not in tables["registry"] or KEY not in tables["registry_urls"]:
        sys.exit(f"{SCRIPT}: {KEY!r} is missing from registry or registry_urls")
    fixture = {
        "source": {
            "package": package,
            "packageVersion": version,
            "skimageVersion": skimage_version,
            "file": REGISTRY_FILE,
            "fileSha256": hashlib.sha256(registry_bytes).hexdigest(),
            "obtainedFrom": os.path.basename(args.deb) if args.deb else "the installed package",
            "key": KEY,
        },
        "sha256": tables["registry"][KEY],
        "url": tables["registry_urls"][KEY],
        "size": None,
        "sizeNote": "scikit-image's registry records no file sizes",
        "generatedBy": f"python3 {SCRIPT}" + (" --deb " + os.path.basename(args.deb) if args.deb else ""),
    }
    json.dump(fixture, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
