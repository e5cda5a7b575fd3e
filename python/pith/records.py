"""The shape of pith's records, for type checkers.

A record has every key, always, in this order (``None`` or ``[]`` when
empty): the JSON object the ``pith`` command prints (see the README's
"Output" section). A test checks these declarations against real records.
"""

from __future__ import annotations

from typing import Literal, TypedDict


class Removal(TypedDict):
    """One run of lines removed by one rule (or one trim)."""

    rule: str
    action: Literal["drop-line", "drop-block", "drop-rest", "drop-span", "trim", "extract"]
    lines: list[int]
    """First and last line, 1-based, inclusive."""
    bytes: list[int]
    """Byte span into the UTF-8 text, end exclusive."""
    text: str


class Stats(TypedDict):
    lines_in: int
    lines_out: int
    chars_in: int
    chars_out: int


Flag = Literal["over_removal", "invalid_utf8", "empty", "body_fallback", "looks_like_html"]


class Record(TypedDict):
    """One cleaned article."""

    id: str | None
    title: str | None
    title_line: int | None
    text: str
    author: str | None
    author_role: str | None
    source: str | None
    published: str | None
    image_credits: list[str]
    references: list[str]
    language: str | None
    removed: list[Removal]
    stats: Stats
    flags: list[Flag]
