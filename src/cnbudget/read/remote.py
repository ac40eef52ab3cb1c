"""Documents named by a URL (``s3://bucket/2026/…``, ``hdfs://…``, ``file:///…``): read through fsspec, the
filesystem layer of the Python data tools, so that workers on a cluster read what a machine of theirs can
reach. fsspec is an extra (``pip install "cnbudget[remote]"``, with the package of the store: s3fs, …);
without it a URL is an input error that says so."""

from __future__ import annotations

import re
from typing import Any

from cnbudget.domain.errors import InputError
from cnbudget.domain.i18n import t
from cnbudget.read.folders import DOCUMENT_SUFFIXES

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")


def is_url(name: object) -> bool:
    """A URL with a scheme of two letters or more (a Windows drive, ``C:\\``, is not one)."""
    return isinstance(name, str) and _URL.match(name) is not None


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem of ``url`` and the path on it."""
    try:
        from fsspec.core import url_to_fs
    except ImportError as exc:
        raise InputError(
            t("读取 URL 需要 fsspec 组件（cnbudget[remote]）", "reading a URL needs fsspec (cnbudget[remote])"),
            url, setting="remote_component",
        ) from exc  # fmt: skip
    try:
        return url_to_fs(url)
    except (ImportError, ValueError) as exc:  # no package for that scheme, or a URL it cannot take
        raise InputError(t(f"无法读取此 URL：{exc}", f"cannot read this URL: {exc}"), url) from exc


def expand(url: str) -> list[str]:
    """The documents a URL names: itself when it is a file, the documents under it when it is a folder
    (recursively, hidden ones skipped, in a stable order); none when it does not exist."""
    fs, path = filesystem(url)
    try:
        if fs.isfile(path):
            return [url]
        if not fs.isdir(path):
            return []
        found = fs.find(path)
    except OSError as exc:
        raise InputError(t(f"无法读取此 URL：{exc}", f"cannot read this URL: {exc}"), url) from exc
    base = path.rstrip("/")
    documents = []
    for item in sorted(found):
        relative = item[len(base) :].lstrip("/")
        name = relative.rsplit("/", 1)[-1]
        if name[name.rfind(".") :].lower() in DOCUMENT_SUFFIXES and not any(
            part.startswith(".") for part in relative.split("/")
        ):
            documents.append(url.rstrip("/") + "/" + relative)
    return documents


def open_url(url: str) -> tuple[Any, int | None]:
    """A binary stream of the document and its size when the store tells it (raises `InputError`)."""
    fs, path = filesystem(url)
    try:
        size = fs.size(path)
        return fs.open(path, "rb"), size
    except FileNotFoundError as exc:
        raise InputError(t("文件不存在", "no such file"), url) from exc
    except OSError as exc:
        raise InputError(t(f"无法读取文件：{exc}", f"cannot read the file: {exc}"), url) from exc
