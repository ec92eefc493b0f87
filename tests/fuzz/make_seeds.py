#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Rebuilds tests/fuzz/seeds/ from the test fixtures (tests/data) and a sample of the shared
corpora (--corpus, default ../shared/corpus next to the repository). Inputs over 64 KiB are
left out (logs are cut at a line end): small seeds keep libFuzzer fast. The seeds are committed,
so fuzzing needs no shared corpus; run this again after adding fixtures."""
import argparse
import hashlib
import pathlib
import shutil

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
DATA = REPO / "tests" / "data"
MAX = 64 * 1024
# fuzz_log_parsers: first byte 0 = sniff, 1.. = the format (order of kFormats in the target).
LOG_FORMATS = {"postfix": 1, "exim": 2, "sendmail": 3, "qmail": 4, "powermta": 5,
               "exchange": 6, "opensmtpd": 7}


def files(root, pattern="*"):
    return sorted(p for p in pathlib.Path(root).rglob(pattern) if p.is_file()) if root.exists() else []


def put(target, data, prefix=b""):
    data = prefix + data
    out = HERE / "seeds" / target
    out.mkdir(parents=True, exist_ok=True)
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)


def mail_sample(corpus):
    mails = [p for p in files(DATA / "bounce") + files(DATA / "mime") + files(DATA / "mail", "*.eml")
             if p.stat().st_size <= MAX]
    for sub, step in (("bounces/emails", 3), ("bounces-flufl/emails", 3)):
        mails += [p for p in files(corpus / sub)[::step] if p.stat().st_size <= MAX]
    return mails


def log_head(path):
    data = path.read_bytes()
    if len(data) > MAX:
        data = data[: data.rfind(b"\n", 0, MAX) + 1]
    return data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=pathlib.Path, default=REPO.parent / "shared" / "corpus")
    corpus = ap.parse_args().corpus
    shutil.rmtree(HERE / "seeds", ignore_errors=True)

    mails = mail_sample(corpus)
    for p in mails:
        put("fuzz_bounce_decoders", p.read_bytes())
    for p in mails[::2]:
        put("fuzz_mime_adapter", p.read_bytes())
    for p in mails[1::2]:
        put("fuzz_dsn_parser", p.read_bytes())

    # fuzz_mbox_reader: first byte = mode (bit 0: single message) and cap (bit 1: 1 KiB).
    boxes = [p for p in files(DATA / "mail") + files(DATA / "cli") if p.suffix in (".mbox", ".eml")]
    for p in boxes:
        for control in (b"\x00", b"\x01", b"\x02"):
            put("fuzz_mbox_reader", p.read_bytes(), control)
    mbox = corpus / "bounces" / "public.mbox"
    if mbox.exists():
        head = mbox.read_bytes()[: 4 * MAX]
        for i in range(4):
            chunk = head[i * MAX:(i + 1) * MAX]
            start = chunk.find(b"\nFrom ")
            put("fuzz_mbox_reader", chunk[start + 1:] if start >= 0 else chunk, b"\x00")

    logs = files(DATA / "logs") + files(corpus / "logs", "*.log") + files(corpus / "logs", "*.txt")
    for p in logs:
        if p.suffix == ".gz":
            continue
        data = log_head(p)
        put("fuzz_log_parsers", data, b"\x00")
        fmt = next((v for k, v in LOG_FORMATS.items() if k in p.parts), None)
        if fmt is not None:
            put("fuzz_log_parsers", data, bytes([fmt]))


if __name__ == "__main__":
    main()
