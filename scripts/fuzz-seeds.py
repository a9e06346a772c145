#!/usr/bin/env python3
"""Writes the seed inputs of one fuzz target (used by scripts/fuzz).

usage: fuzz-seeds.py TARGET FIXTURES_DIR COMMITTED_SEEDS_DIR OUT_DIR

Seeds come from the recorded Airflow fixtures (read at run time, never copied into git) and
from the small hand-written seeds under Fuzz/Seeds/<target>/ (remote replies, strata.yaml,
airflow_settings.yaml, which the fixtures do not cover). A missing fixtures folder is not an
error: the committed seeds are enough to start.
"""
import hashlib
import json
import os
import sys


def main():
    target, fixtures, committed, out = sys.argv[1:5]
    seeds = []

    def fixture_lines(name):
        path = os.path.join(fixtures, name)
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

    def local_files(*suffixes, with_format_byte=False):
        folder = os.path.join(fixtures, "local-filesystem")
        if not os.path.isdir(folder):
            return []
        found = []
        for name in sorted(os.listdir(folder)):
            if name.endswith(".expected.json"):
                continue
            if suffixes and not name.lower().endswith(suffixes):
                continue
            with open(os.path.join(folder, name), "rb") as handle:
                content = handle.read()
            if with_format_byte:
                # fuzz-local-files reads its first byte as the format: 0 .env, 1 .json, 2 .yaml.
                lower = name.lower()
                digit = b"1" if lower.endswith(".json") else b"2" if lower.endswith((".yaml", ".yml")) else b"0"
                content = digit + content
            found.append(content)
        return found

    uris = fixture_lines("connection-uris.jsonl")
    env_values = [value for record in fixture_lines("env-vectors.jsonl") for value in record.get("env", {}).values()]

    if target in ("fuzz-connection-uri", "fuzz-uri-report-line"):
        found = [r["input"].encode() for r in uris if r.get("kind") == "uri" and isinstance(r.get("input"), str)]
        found += [v.encode() for v in env_values if isinstance(v, str) and not v.lstrip().startswith("{")]
        found += [r["core"]["uri"].encode() for r in uris
                  if isinstance(r.get("core"), dict) and isinstance(r["core"].get("uri"), str)]
        # The first byte picks the dialect (0 Airflow 2, 1 Airflow 3 core, 2 Task SDK): each URI once per dialect.
        seeds += [str(dialect).encode() + uri for uri in found for dialect in range(3)]
    elif target == "fuzz-connection-json":
        seeds += [r["input"].encode() for r in uris if r.get("kind") == "json" and isinstance(r.get("input"), str)]
        seeds += [v.encode() for v in env_values if isinstance(v, str) and v.lstrip().startswith("{")]
    elif target == "fuzz-python-json":
        seeds += [r["input"].encode() for r in uris if r.get("kind") == "json" and isinstance(r.get("input"), str)]
        seeds += local_files(".json")
    elif target in ("fuzz-yaml", "fuzz-airflow-settings"):
        seeds += local_files(".yaml", ".yml")
    elif target == "fuzz-dotenv":
        seeds += local_files(".env")
    elif target == "fuzz-local-files":
        seeds += local_files(with_format_byte=True)

    # The remote targets read their first byte as the case to run (see each target's comment):
    # every committed script is a seed for every case.
    cases = {"fuzz-vault-replies": 6, "fuzz-aws-replies": 6, "fuzz-cloud-replies": 2, "fuzz-airflow-api-replies": 6}.get(target)
    folder = os.path.join(committed, target)
    if os.path.isdir(folder):
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), "rb") as handle:
                content = handle.read()
            if cases:
                seeds += [str(case).encode() + content for case in range(cases)]
            else:
                seeds.append(content)
    # fuzz-yaml also starts from the YAML the other YAML targets were given.
    if target == "fuzz-yaml":
        for other in ("fuzz-airflow-settings", "fuzz-workspace"):
            folder = os.path.join(committed, other)
            if os.path.isdir(folder):
                for name in sorted(os.listdir(folder)):
                    with open(os.path.join(folder, name), "rb") as handle:
                        seeds.append(handle.read())

    os.makedirs(out, exist_ok=True)
    written = set()
    for seed in seeds:
        digest = hashlib.sha1(seed).hexdigest()
        if digest in written:
            continue
        written.add(digest)
        with open(os.path.join(out, digest), "wb") as handle:
            handle.write(seed)
    if not written:
        # libFuzzer starts from an empty input when a folder is empty; say so rather than guess.
        print("fuzz-seeds: no seeds for %s (fixtures at %s?)" % (target, fixtures), file=sys.stderr)


if __name__ == "__main__":
    main()
