"""The command line's shape: the README documents every command, the cached help is the app's, start-up is lean."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from cnbudget.cli.app import build_app
from support.cli import invoke, process
from support.paths import FIXTURES, ROOT


def _app_commands() -> set[str]:
    app = build_app()
    commands = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    return commands | {g.name or g.typer_instance.info.name or "" for g in app.registered_groups}


def test_readme_command_table_lists_every_command_and_no_other() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`cnbudget ([a-z]+)", section))
    assert documented == _app_commands()


def test_cached_top_level_help_is_the_apps() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "generate_cli_help.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_help_and_version_without_loading_typer() -> None:
    probe = (
        "import sys; sys.argv = ['cnbudget', '--help']\n"
        "from cnbudget.cli.fast import main; main()\n"
        "assert 'typer' not in sys.modules and 'cnbudget.parse' not in sys.modules, sorted(sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "用法：cnbudget" in done.stdout and "compare" in done.stdout and "ingest" in done.stdout
    version = process("--version")
    assert version.returncode == 0 and re.fullmatch(r"cnbudget \d+\.\d+\.\d+\n", version.stdout)


def test_a_library_question_does_not_load_the_parser_or_the_audit(tmp_path: Path) -> None:
    """compare needs the database layer only: the parser, the rules and the readers stay unloaded."""
    db = tmp_path / "lib.db"
    assert (
        invoke("ingest", str(FIXTURES / "seeds" / "002_259adb099584b024.txt"), "--db", str(db)).returncode
        == 0
    )
    probe = (
        "import sys\n"
        f"sys.argv = ['cnbudget', 'compare', '--year', '2026', '--db', {str(db)!r}]\n"
        "from cnbudget.cli.fast import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in ('cnbudget.parse', 'cnbudget.audit', 'cnbudget.read', 'alembic') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "2026" in done.stdout


def test_readme_starts_with_the_two_setup_commands_ci_runs() -> None:
    """README: what cnbudget does, then exactly two commands — set-up with the sample, and the tests; .ci/run
    reads the second from README.md itself."""
    import os
    import re

    readme = (ROOT / "README.md").read_text("utf-8")
    top = readme.split("\n## ", 1)[0]
    blocks = [b.strip() for b in re.findall(r"```sh\n(.*?)```", top, re.S)]
    assert len(blocks) == 2
    assert "cnbudget audit --sample" in blocks[0] and "constraints.txt" in blocks[0]
    command = blocks[1].split()[0]
    assert os.access(ROOT / command, os.X_OK), command
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "blocks[1]" in ci and 'bash -euo pipefail -c "$readme_test"' in ci
