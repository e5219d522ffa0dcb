"""``make bench``: every benchmark in bench/ with one set of arguments (see ``--help``).

Runs bench/registry.py, bench/reminders.py and bench/queues.py; each prints its table, and the
figures are written as JSON to bench/results/ (git-ignored).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

# Run as a script, Python puts bench/ first on the path, where bench/registry.py would shadow the
# Django app ``registry``: put the project root there instead.
_ROOT = str(Path(__file__).resolve().parent.parent)
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = _ROOT
elif _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from bench import common  # noqa: E402

BENCHMARKS = ("registry", "reminders", "queues")


def main(argv: list[str] | None = None) -> int:
    args = common.parse_args(argv, description=__doc__.splitlines()[0])
    failed = []
    for name in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        if not (common.ROOT / "bench" / f"{name}.py").exists():
            print(f"bench/{name}.py does not exist yet: skipped.")
            continue
        print(f"\n=== {name} ===")
        module = importlib.import_module(f"bench.{name}")
        try:
            figures = module.run(args)
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            print(f"{name} failed: {exc!r}")
            failed.append(name)
            continue
        path = common.write_results(name, figures)
        print(f"Results: {path.relative_to(common.ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
