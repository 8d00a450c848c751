"""A real `celery worker` whose Excel export waits at a gate: a test-only launcher.

`python -m tests.reports.gated_worker -A bureau worker ...` runs Celery's own command line;
in each pool child the Excel builder is wrapped so that an export, once started, writes the
child's pid to `$EXPORT_GATE_DIR/started` (one line per attempt) and waits until the file
`$EXPORT_GATE_DIR/release` exists. A test can then kill the child mid-export at a moment it
chooses, with no sleep in the portal's code.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from celery.signals import worker_process_init


@worker_process_init.connect
def _gate_the_excel_builder(**_kwargs) -> None:
    from reports import exports

    gate = Path(os.environ["EXPORT_GATE_DIR"])
    build = exports.build_xlsx

    def gated(summary_id: int, **options) -> bytes:
        options["progress"](5)
        with (gate / "started").open("a") as started:
            started.write(f"{os.getpid()}\n")
        while not (gate / "release").exists():
            time.sleep(0.05)
        return build(summary_id, **options)

    exports.build_xlsx = gated


if __name__ == "__main__":
    from celery.__main__ import main

    sys.argv[0] = "celery"
    main()
