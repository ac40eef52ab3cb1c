"""`cnbudget serve` (the web application for review teams) and `cnbudget users` (its accounts).

The server is started by name (`cnbudget.web.app:factory`) with its settings in the environment, the way
Uvicorn starts any ASGI application; the command line itself does not import the web package.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from cnbudget.cli.library import open_library, using_library
from cnbudget.cli.options import db_opt
from cnbudget.cli.usage import Command, Group
from cnbudget.domain.errors import UsageError
from cnbudget.domain.i18n import t


def register(app: typer.Typer) -> None:
    app.command(
        "serve",
        cls=Command,
        help=t(
            "启动审核团队用的网页版：上传文件、页面上的证据、审核意见、核对清单。",
            "Start the web application for review teams: upload, evidence on the page, decisions, checklist.",
        ),
    )(serve_command)
    app.add_typer(_users_app(), name="users", help=_users_help())


def _users_help() -> str:
    return t(
        "网页版的用户：添加、列出、改密码。", "Users of the web application: add, list, change a password."
    )


def _users_app() -> typer.Typer:
    """`cnbudget users add|list|passwd`, built in the run's language like the app."""
    users = typer.Typer(
        cls=Group,
        help=_users_help(),
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    users.command(
        "add",
        cls=Command,
        help=t(
            "添加用户；密码输入两次（或取自环境变量 CNBUDGET_PASSWORD）。",
            "Add a user; the password is asked twice (or read from CNBUDGET_PASSWORD).",
        ),
    )(users_add)
    users.command(
        "list",
        cls=Command,
        help=t("各用户、其角色及是否在用。", "The users, their roles, and whether they are active."),
    )(users_list)
    users.command(
        "passwd",
        cls=Command,
        help=t(
            "设置新密码（输入两次，或取自 CNBUDGET_PASSWORD）；该用户已登录的会话随即失效。",
            "Set a new password (asked twice, or CNBUDGET_PASSWORD); the user's sessions end.",
        ),
    )(users_passwd)
    return users


def _serve_opt(name: str) -> Any:
    """The options of `serve` (functions of the run's language, like those of cli/options.py)."""
    return {
        "host": lambda: typer.Option("--host", metavar=t("地址", "HOST"), help=t(
            "监听的地址（内网服务器用 0.0.0.0）。", "Address to listen on (0.0.0.0 for an intranet server).")),
        "port": lambda: typer.Option("--port", min=1, max=65535, metavar=t("端口", "PORT"), help=t("端口。", "Port.")),
        "storage": lambda: typer.Option("--storage", metavar=t("文件夹", "FOLDER"), show_default=False, help=t(
            "上传文件的存放目录（默认：资料库旁的 cnbudget-files）。",
            "Folder for uploaded files (default: cnbudget-files beside the library).")),
        "workers": lambda: typer.Option("--workers", min=1, max=64, metavar=t("进程数", "N"), help=t(
            "解析、审核上传文件的进程数。", "Processes that parse and audit uploads.")),
        "max_upload_mb": lambda: typer.Option("--max-upload-mb", min=1, max=10_000, metavar="MB", help=t(
            "单个上传文件的上限（MB）。", "Largest upload (MB).")),
        "secure_cookies": lambda: typer.Option("--secure-cookies", help=t(
            "登录凭据只经加密连接发送（经 HTTPS 访问时使用）。", "Mark cookies Secure (behind HTTPS).")),
        "sample": lambda: typer.Option("--sample", help=t("先把自带的示例文件入库。", "Ingest the bundled sample first.")),
        "log": lambda: typer.Option("--log", metavar=t("文件", "FILE"), show_default=False, help=t(
            "把访问日志（每个请求）和服务器日志追加写入此文件。",
            "Append the access log (every request) and the server's log to this file.")),
    }[name]()  # fmt: skip


def serve_command(
    db: Annotated[str | None, db_opt()] = None,
    host: Annotated[str, _serve_opt("host")] = "127.0.0.1",
    port: Annotated[int, _serve_opt("port")] = 8000,
    storage: Annotated[Path | None, _serve_opt("storage")] = None,
    workers: Annotated[int, _serve_opt("workers")] = 1,
    max_upload_mb: Annotated[int, _serve_opt("max_upload_mb")] = 100,
    secure_cookies: Annotated[bool, _serve_opt("secure_cookies")] = False,
    sample: Annotated[bool, _serve_opt("sample")] = False,
    log: Annotated[Path | None, _serve_opt("log")] = None,
) -> None:
    """Start the web application for review teams (the help is given at registration, in both languages)."""
    try:
        import uvicorn
    except ImportError:
        raise UsageError(
            t(
                "网页版需要 web 组件：pip install 'cnbudget[web]'",
                "The web application needs: pip install 'cnbudget[web]'",
            )
        ) from None
    url, storage = _prepare_library(db, storage, sample)
    os.environ.update(
        {
            "CNBUDGET_DB": url,
            "CNBUDGET_STORAGE": str(storage.resolve()),
            "CNBUDGET_WORKERS": str(workers),
            "CNBUDGET_MAX_UPLOAD_MB": str(max_upload_mb),
            "CNBUDGET_SECURE_COOKIES": "1" if secure_cookies else "",
            # the web pages are Chinese: the messages of the layers below (reader, accounts) match them,
            # in the server and in its worker processes, whatever the --lang of this command line
            "CNBUDGET_LANG": "zh",
        }
    )
    sys.stderr.write(
        t(
            f"cnbudget 网页版：http://{host}:{port}/  （Ctrl-C 停止）\n",
            f"cnbudget web: http://{host}:{port}/  (Ctrl-C to stop)\n",
        )
    )
    if log is not None:
        _check_log(log)
    uvicorn.run(
        "cnbudget.web.app:factory",
        factory=True,
        host=host,
        port=port,
        log_level="info" if log is not None else "warning",
        access_log=log is not None,
        log_config=_log_config(log) if log is not None else None,
    )


def _prepare_library(db: str | None, storage: Path | None, sample: bool) -> tuple[str, Path]:
    """The library (created if new; with the sample when asked) and where uploads are kept (beside an
    SQLite library by default); a library without users gets an administrator, whose password is written
    to a file only this user can read. The library's URL and the storage folder."""
    from cnbudget.library import library_url
    from cnbudget.library.accounts import add_user, list_users

    engine = open_library(db, create=True)
    url = library_url(db)
    if storage is None:
        base = Path(url[len("sqlite:///") :]).parent if url.startswith("sqlite:///") else Path.cwd()
        storage = base / "cnbudget-files"
    if sample:
        from cnbudget.domain.reference import sample_path
        from cnbudget.library.ingestion import ingest

        ingest(engine, [sample_path()], jobs=1)
    if not list_users(engine):
        password = secrets.token_urlsafe(12)
        secret = _write_secret(storage / "first-admin-password.txt", password)
        add_user(engine, "admin", password, "admin", t("管理员", "Administrator"))
        sys.stderr.write(
            t(
                f"资料库还没有用户：已创建管理员 admin，密码写在 {secret}（只有你可读；登录后在“我的账号”里修改，并删除该文件）\n",
                f"No users yet: created the administrator admin; the password is in {secret} (readable by you only; change it under “my account” after logging in, and delete the file)\n",
            )
        )
    engine.dispose()
    return url, storage


def _write_secret(path: Path, text: str) -> Path:
    """A file only this user can read (0600 from its creation), holding ``text``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    return path.resolve()


def _check_log(path: Path) -> None:
    try:
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise UsageError(
            t(f"无法写入日志文件：{exc.strerror}", f"cannot write the log file: {exc.strerror}"),
            path=str(path),
            setting="log",
        ) from None


def _log_config(path: Path) -> dict[str, object]:
    """Uvicorn's logging with every record (access lines, server and cnbudget messages) also in ``path``."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["file"] = {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    config["handlers"]["file"] = {
        "class": "logging.FileHandler",
        "filename": str(path),
        "encoding": "utf-8",
        "formatter": "file",
    }
    for name in ("uvicorn", "uvicorn.access"):
        config["loggers"][name]["handlers"] = [*config["loggers"][name].get("handlers", []), "file"]
    config["loggers"]["cnbudget"] = {"handlers": ["default", "file"], "level": "INFO", "propagate": False}
    return config


def users_add(
    username: Annotated[
        str,
        typer.Argument(
            help=t("登录名。", "Login name."), metavar=t("登录名", "USERNAME"), show_default=False
        ),
    ],
    role: Annotated[
        str,
        typer.Option(
            "--role",
            metavar=t("角色", "ROLE"),
            help=t("admin（管理员）、reviewer（审核人）或 viewer（查阅人）。", "admin, reviewer or viewer."),
        ),
    ] = "reviewer",
    name: Annotated[
        str, typer.Option("--name", metavar=t("姓名", "NAME"), help=t("显示的姓名。", "Name shown."))
    ] = "",
    db: Annotated[str | None, db_opt()] = None,
) -> None:
    """Add a user; the password is asked twice (or read from CNBUDGET_PASSWORD)."""
    from cnbudget.domain.vocabulary import ROLE_LABELS
    from cnbudget.library.accounts import add_user

    password = _password()
    with using_library(db, create=True) as engine:
        user = add_user(engine, username, password, role, name)
    label = ROLE_LABELS.get(user.role, user.role)
    sys.stdout.write(t(f"已添加用户 {user.username}（{label}）\n", f"Added user {user.username} ({role})\n"))


def users_list(db: Annotated[str | None, db_opt()] = None) -> None:
    """The users, their roles, and whether they are active."""
    from cnbudget.domain.vocabulary import ROLE_LABELS
    from cnbudget.library.accounts import list_users

    with using_library(db, create=True) as engine:
        users = list_users(engine)
    for user, active in users:
        state = t("在用", "active") if active else t("停用", "inactive")
        sys.stdout.write(
            f"{user.username}\t{t(ROLE_LABELS[user.role], user.role)}\t{user.display_name}\t{state}\n"
        )


def users_passwd(
    username: Annotated[
        str,
        typer.Argument(
            help=t("登录名。", "Login name."), metavar=t("登录名", "USERNAME"), show_default=False
        ),
    ],
    db: Annotated[str | None, db_opt()] = None,
) -> None:
    """Set a new password (asked twice, or CNBUDGET_PASSWORD); the user's sessions end."""
    from cnbudget.library.accounts import set_password

    password = _password()
    with using_library(db, create=True) as engine:
        set_password(engine, username, password)
    sys.stdout.write(t(f"已修改 {username} 的密码\n", f"Changed the password of {username}\n"))


def _password() -> str:
    given = os.environ.get("CNBUDGET_PASSWORD")
    if given:
        return given
    if not sys.stdin.isatty():
        raise UsageError(
            t(
                "请在终端输入密码，或设置 CNBUDGET_PASSWORD",
                "Type the password at a terminal, or set CNBUDGET_PASSWORD",
            ),
            setting="password",
        )
    first = typer.prompt(t("密码", "Password"), hide_input=True)
    second = typer.prompt(t("再输入一次", "Again"), hide_input=True)
    if first != second:
        raise UsageError(t("两次输入的密码不一致", "The passwords differ"), setting="password")
    return str(first)
