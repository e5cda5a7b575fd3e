"""pith.Cleaner: the same records as the command line, and no crash on bad input."""

from __future__ import annotations

import json
import pickle
import subprocess
import threading
import time
import typing
from pathlib import Path

import pytest

import pith
from pith.records import Record

from conftest import REPO, run_cli

SEEDS = sorted((REPO / "fixtures" / "seeds").glob("*.input.txt"))
ERRORS = sorted((REPO / "fixtures" / "errors").glob("*.toml"))


def dumps(record: dict) -> str:
    """A record as compact JSON, as the command line writes it."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


@pytest.fixture(scope="module")
def cleaner() -> pith.Cleaner:
    return pith.Cleaner()


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_seed_articles_match_the_cli_byte_for_byte(seed: Path, cleaner, pith_bin):
    rel = str(seed.relative_to(REPO))
    [line] = run_cli(pith_bin, "--output", "jsonl", rel)
    assert cleaner.clean_json(seed.read_bytes(), id=rel) == line
    assert dumps(cleaner.clean(seed.read_text(encoding="utf-8"), id=rel)) == line


def test_seeds_exist():
    assert len(SEEDS) >= 4


def test_corpus_matches_the_cli_jsonl(cleaner, pith_bin, corpus_jsonl):
    records = [json.loads(line) for line in corpus_jsonl.read_text(encoding="utf-8").splitlines()]
    cli = [json.loads(line) for line in run_cli(pith_bin, "--input", "jsonl", "--output", "jsonl", corpus_jsonl)]
    ours = cleaner.clean_many([r["text"] for r in records], ids=[r["id"] for r in records])
    assert len(records) == len(cli) == len(ours) >= 200
    for cli_record, record in zip(cli, ours):
        assert cli_record == record


def test_record_keys_are_the_declared_ones_in_order(cleaner):
    record = cleaner.clean((REPO / "fixtures" / "seeds" / "003.input.txt").read_text())
    assert list(record) == list(typing.get_type_hints(Record))
    assert record["removed"], "the seed has removals"
    assert list(record["removed"][0]) == list(typing.get_type_hints(pith.records.Removal))
    assert list(record["stats"]) == list(typing.get_type_hints(pith.records.Stats))


@pytest.mark.parametrize("bad", ERRORS, ids=lambda p: p.name)
def test_rule_errors_carry_the_cli_message(bad: Path, pith_bin):
    done = subprocess.run([str(pith_bin), "--rules", str(bad)], input=b"", capture_output=True)
    assert done.returncode == 2
    message = done.stderr.decode().strip().removeprefix("pith: ")
    with pytest.raises(pith.RuleError) as raised:
        pith.Cleaner(rules=bad)
    assert str(raised.value) == message
    assert isinstance(raised.value, ValueError)


def test_unknown_disable_pattern_is_a_rule_error_like_the_cli(pith_bin):
    done = subprocess.run([str(pith_bin), "--disable", "no.such-rule"], input=b"", capture_output=True)
    with pytest.raises(pith.RuleError) as raised:
        pith.Cleaner(disable=["no.such-rule"])
    assert str(raised.value) == done.stderr.decode().strip().removeprefix("pith: ")


def test_missing_rule_file_is_a_rule_error(tmp_path):
    with pytest.raises(pith.RuleError, match="cannot read rule file"):
        pith.Cleaner(rules=tmp_path / "absent.toml")


def test_rules_disable_and_default_rules_work_like_the_cli(tmp_path, pith_bin):
    rule = tmp_path / "extra.toml"
    rule.write_text(
        '[[rule]]\nid = "test.advert"\naction = "drop-line"\nline_is = ["Advertisement"]\n'
        'examples = ["Advertisement"]\nnear_misses = ["An advertisement ran."]\n'
    )
    text = "First paragraph of the article.\n\nAdvertisement\n\nSecond paragraph.\n\nLeave a Reply\n"
    article = tmp_path / "a.txt"
    article.write_text(text)
    for kwargs, flags in [
        ({"rules": rule}, ["--rules", rule]),
        ({"rules": [str(rule)], "default_rules": False}, ["--rules", rule, "--no-default-rules"]),
        ({"disable": "comments.*"}, ["--disable", "comments.*"]),
        ({"disable": ["comments.*", "structure.title"]}, ["--disable", "comments.*", "--disable", "structure.title"]),
    ]:
        [line] = run_cli(pith_bin, "--output", "jsonl", *flags, article)
        assert pith.Cleaner(**kwargs).clean_json(text, id=str(article)) == line, kwargs


def test_wrong_argument_types_are_type_errors():
    with pytest.raises(TypeError, match="rules must be a path or a list of paths, not int"):
        pith.Cleaner(rules=3)
    with pytest.raises(TypeError, match="disable must be"):
        pith.Cleaner(disable=[1, 2])


@pytest.mark.parametrize("bad", [None, 3, 2.5, ["text"], bytearray(b"text")])
def test_non_text_is_a_type_error(cleaner, bad):
    with pytest.raises(TypeError, match="text must be str or bytes"):
        cleaner.clean(bad)


def test_invalid_utf8_bytes_are_replaced_and_flagged_like_the_cli(cleaner, pith_bin, tmp_path):
    raw = b"A headline\n\nBody text \xff\xfe with bad bytes.\n"
    path = tmp_path / "bad.txt"
    path.write_bytes(raw)
    [line] = run_cli(pith_bin, "--output", "jsonl", path)
    assert cleaner.clean_json(raw, id=str(path)) == line
    record = cleaner.clean(raw)
    assert record["flags"] == ["invalid_utf8"]
    assert "\ufffd" in record["text"]


def test_unpaired_surrogates_become_one_replacement_each(cleaner):
    record = cleaner.clean("A lone \ud800 surrogate and \udfff another.")
    assert record["text"] == "A lone \ufffd surrogate and \ufffd another."
    assert record["flags"] == ["invalid_utf8"]


def test_a_lone_surrogate_escape_in_jsonl_is_cleaned_like_the_str_it_loads_as(cleaner, pith_bin, tmp_path):
    # "\ud800" in JSON loads as a str holding a lone surrogate: the CLI
    # reading the line and the package cleaning that str agree.
    line = r'{"id": "s", "text": "A headline\n\nCaf\ud800s and \udfff too, \ud83d\ude00 kept."}'
    path = tmp_path / "surrogates.jsonl"
    path.write_text(line + "\n")
    [cli] = run_cli(pith_bin, "--input", "jsonl", path)
    text = json.loads(line)["text"]
    assert json.loads(cleaner.clean_json(text, id="s")) == json.loads(cli)
    record = cleaner.clean(text)
    assert record["flags"] == ["invalid_utf8"]
    assert "Caf\ufffds and \ufffd too, \U0001f600 kept." in record["text"]


def test_empty_and_odd_texts_give_records(cleaner):
    assert cleaner.clean("")["flags"] == ["empty"]
    assert cleaner.clean("   \n\n\t")["flags"] == ["empty"]
    record = cleaner.clean("nul \x00 byte\r\nand CRLF\r\n")
    # Two short lines: the second reads as a headline too, so the first
    # stays in the text (a title line must stand alone); CRs are dropped.
    assert record["text"] == "nul \x00 byte\nand CRLF"
    assert cleaner.clean("\u200b" * 10_000)["stats"]["lines_in"] == 1


def test_huge_text_is_cleaned(cleaner):
    paragraph = "A sentence of the article that goes on for a while. " * 20
    text = "\n\n".join([paragraph] * 20_000) + "\n\nLeave a Reply\n\nA comment.\n"
    assert len(text) > 20_000_000
    record = cleaner.clean(text)
    assert record["removed"][-1]["rule"] == "comments.leave-a-reply"
    one_line = "word " * 5_000_000
    assert cleaner.clean(one_line)["stats"]["chars_in"] == len(one_line)


def test_clean_many_keeps_input_order_on_any_thread_count(cleaner):
    texts = [p.read_text() for p in SEEDS] * 25
    ids = [f"doc{i}" for i in range(len(texts))]
    expected = [cleaner.clean(t, id=i) for t, i in zip(texts, ids)]
    for threads in (None, 1, 2, 7):
        assert cleaner.clean_many(texts, threads, ids=ids) == expected


def test_clean_many_takes_any_iterable(cleaner):
    assert cleaner.clean_many([]) == []
    assert cleaner.clean_many(t for t in ["One.", b"Two."]) == [cleaner.clean("One."), cleaner.clean("Two.")]


def test_clean_many_rejects_bad_arguments_before_cleaning(cleaner):
    with pytest.raises(TypeError, match=r"texts\[2\]: text must be str or bytes, not NoneType"):
        cleaner.clean_many(["a", "b", None])
    with pytest.raises(TypeError, match="not one text"):
        cleaner.clean_many("a text, not a list")
    with pytest.raises(TypeError):
        cleaner.clean_many(42)
    with pytest.raises(ValueError, match="ids has 1 entries for 2 texts"):
        cleaner.clean_many(["a", "b"], ids=["x"])
    with pytest.raises(ValueError, match="threads must be at least 1"):
        cleaner.clean_many(["a"], threads=0)
    with pytest.raises(OverflowError):
        cleaner.clean_many(["a"], threads=-1)


def test_clean_many_releases_the_gil(cleaner):
    texts = [p.read_text() for p in SEEDS] * 400
    ticks = 0
    done = threading.Event()

    def count():
        nonlocal ticks
        while not done.is_set():
            ticks += 1

    counter = threading.Thread(target=count)
    counter.start()
    try:
        time.sleep(0.05)
        before = ticks
        start = time.perf_counter()
        cleaner.clean_many(texts, threads=1)
        elapsed = time.perf_counter() - start
        during = ticks - before
    finally:
        done.set()
        counter.join()
    # Holding the GIL through the call would leave the counter at a few
    # switch intervals' worth of ticks; released, it runs the whole time.
    assert elapsed > 0.05
    assert during > 10_000, (during, elapsed)


def test_threads_share_one_cleaner(cleaner):
    texts = [p.read_text() for p in SEEDS]
    expected = [cleaner.clean(t) for t in texts]
    results: list[list[dict]] = []

    def work():
        results.append([cleaner.clean(t) for t in texts])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


def test_cleaners_pickle_as_their_arguments():
    original = pith.Cleaner(disable=["references.*"])
    copy = pickle.loads(pickle.dumps(original))
    assert repr(copy) == repr(original) == "Cleaner(rules=None, disable=['references.*'], default_rules=True, mode='auto')"
    text = (REPO / "fixtures" / "seeds" / "003.input.txt").read_text()
    assert copy.clean(text) == original.clean(text)
    assert copy.clean(text)["references"] == []


def test_shared_cleaner_is_one_per_process_and_arguments():
    assert pith.shared_cleaner() is pith.shared_cleaner()
    assert pith.shared_cleaner(disable=["comments.*"]) is pith.shared_cleaner(disable=("comments.*",))
    assert pith.shared_cleaner(disable="comments.*") is not pith.shared_cleaner()


MENU = ["Home", "News", "World", "Politics", "Business", "Tech", "Science", "Health"]


def test_mode_page_finds_the_body_among_menus_and_bad_modes_are_errors():
    body = (
        "The city council voted on Tuesday to expand the bus network to the northern "
        "suburbs, ending a debate that had lasted more than two years."
    )
    page = "\n\n".join(MENU + [body] + MENU[::-1])
    as_page = pith.Cleaner(mode="page").clean(page)
    assert as_page["text"] == body
    as_article = pith.Cleaner(mode="article").clean(page)
    assert "Politics" in as_article["text"]
    assert "mode='page'" in repr(pith.Cleaner(mode="page"))
    with pytest.raises(ValueError, match="mode must be"):
        pith.Cleaner(mode="pages")
