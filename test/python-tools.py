"""Exit 0 when this Python has every tool of requirements-test.txt at its pinned version."""

import importlib.metadata
import re
import shutil
import sys

missing = []
with open(sys.argv[1]) as requirements:
    for line in requirements:
        requirement = line.split("#")[0].strip()
        if not requirement:
            continue
        name, version = re.fullmatch(r"([\w.-]+)(?:\[[\w,]+\])?==(\S+)", requirement).groups()
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            missing.append(f"{name}=={version} (found {installed})")

try:
    import moto.server  # noqa: F401  (needs the server extra: Flask)
except ImportError as error:
    missing.append(f"moto server ({error})")

for command in ("aws", "cfn-lint"):
    if shutil.which(command) is None:
        missing.append(f"the {command} command")

if missing:
    print("missing: " + ", ".join(missing))
    sys.exit(1)
