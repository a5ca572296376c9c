"""`overturn` run in this process with typer's CliRunner: each new process would import torch
and Chroma again (seconds each). It goes through `service.cli.main`, as the console script does,
so OverturnError still becomes `error: ...` and exit code 2; the answer has the fields of
`subprocess.run(..., capture_output=True, text=True)`. The few tests about the process itself
(console entry point, exit codes, no traceback) still spawn it."""

import logging
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from unittest import mock

from typer.testing import CliRunner

from service.cli import main
from service.index.embeddings import Embedder


@contextmanager
def shared_model(embedder: Embedder) -> Iterator[None]:
    """The workspace `overturn` opens gets an embedder of its own (its own caches) on the already
    loaded model of `embedder`, instead of loading the model again: what a new process would do,
    minus the seconds of the load. Another model path (OVERTURN_EMBEDDING_MODEL) still loads."""
    original = Embedder.from_settings

    def from_settings(settings, disk=None):
        if settings.embedding_model == embedder.model_path and settings.embedder == embedder.backend:
            return embedder.scoped(disk)
        return original(settings, disk)

    with mock.patch.object(Embedder, "from_settings", from_settings):
        yield


def run_cli(
    args, env: Mapping[str, str | None], input: str | None = None, embedder: Embedder | None = None
) -> subprocess.CompletedProcess:
    """`env` holds the call's OVERTURN_* settings, as a subprocess's whole environment would:
    every other OVERTURN_* variable is unset for the call. Give each test its own OVERTURN_HOME.
    With `embedder` (the session's), a draft shares its loaded model (see `shared_model`)."""
    args = [str(a) for a in args]
    old_argv = sys.argv
    overlay = {**{k: None for k in os.environ if k.startswith("OVERTURN_")}, **env}
    sharing = shared_model(embedder) if embedder is not None else nullcontext()
    with sharing, CliRunner().isolation(input=input, env=overlay) as (stdout, stderr, _):
        sys.argv = ["overturn", *args]
        # main's logging.basicConfig does nothing under pytest (the root logger has its handlers
        # already): log lines still reach this call's stderr, as they would the process's.
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        handler.setLevel(logging.WARNING)
        logging.getLogger().addHandler(handler)
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
            if isinstance(exc.code, str):
                sys.stderr.write(exc.code + "\n")
        finally:
            sys.argv = old_argv
            logging.getLogger().removeHandler(handler)
            sys.stdout.flush()
            sys.stderr.flush()
        out, err = stdout.getvalue(), stderr.getvalue()
    return subprocess.CompletedProcess(["overturn", *args], code, out.decode(), err.decode())
