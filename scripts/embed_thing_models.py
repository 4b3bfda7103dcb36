#!/usr/bin/env python3
"""Writes the C++ table of the thing models that DockLink embeds (cmake/EmbedThingModels.cmake runs it).

    embed_thing_models.py --models thing_models --out docklink_thing_models.cpp

Every model file (thing_models/**/*.json except the schema) is embedded minified, because the library carries
it on the device and only the runtime reads it:
  * no whitespace between tokens; strings and number literals are kept exactly as written;
  * documentation members are dropped: "note" and "desc" with a string value in the model's own objects (type
    specs, properties, services, events, requests, DRC methods, the top level). Names that the model defines (the
    members of "types", "properties", "services", "events", "requests", "drc_down", "drc_up" and "fields") are never
    dropped, so a property or a
    field called "note" stays;
  * the descriptions of enum values become "": the runtime reads only their keys (thing_model_parse.cpp).
Neither ThingModel::parse nor the resolver (thing_resolve.cpp) reads what is dropped, so a model loads the same
from the embedded table as from its pretty file with load_file().

The minified files are stored one after another as one LZ77-packed array (about a fifth of their size), which the
library unpacks once, on first use (sdk/src/model_unpack.cpp). The format is a sequence of tokens:
  * 0x00-0x7f: a run of 1-128 literal bytes (token + 1) follows;
  * 0x80-0xff: a copy of (token & 0x7f) + 4 bytes (4-131) from a distance of 1-65535 bytes back in the unpacked
    output, given by the two little-endian bytes that follow (the copy may overlap what it writes).
"""
import argparse
import json
import os
import sys

DOC_MEMBERS = ("note", "desc")
# Members whose value maps names chosen by the model to type specs or definitions.
NAME_MAPS = ("types", "properties", "services", "events", "requests", "drc_down", "drc_up", "fields")


class Number(str):
    """A JSON number literal, kept as its source text."""


def no_duplicates(pairs):
    names = [name for name, _ in pairs]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        # RapidJSON would see the first, Python the last: refuse instead of guessing.
        raise ValueError("duplicate member(s) " + ", ".join(duplicates))
    return dict(pairs)


def load(path):
    with open(path, encoding="utf-8") as source:
        return json.load(source, object_pairs_hook=no_duplicates, parse_int=Number, parse_float=Number)


def strip_docs(value):
    """The model object `value` without its documentation members (see the module doc)."""
    if isinstance(value, list):
        return [strip_docs(item) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for name, member in value.items():
        if name in DOC_MEMBERS and isinstance(member, str):
            continue
        if name in NAME_MAPS and isinstance(member, dict):
            out[name] = {defined: strip_docs(spec) for defined, spec in member.items()}
        elif name == "values" and isinstance(member, dict):
            out[name] = {key: "" if isinstance(text, str) else text for key, text in member.items()}
        else:
            out[name] = strip_docs(member)
    return out


def compact(value):
    """Minified JSON text of `value` (Number literals as written)."""
    if isinstance(value, Number):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(compact(name) + ":" + compact(member) for name, member in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(compact(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


MIN_COPY = 4
MAX_COPY = 0x7f + MIN_COPY
MAX_LITERALS = 0x80
MAX_DISTANCE = 0xffff
CANDIDATES = 256  # earlier positions tried per match search: plenty for 60 KB, still fast in Python


def longest_match(data, at, earlier):
    """(length, distance) of the longest copy for data[at:] among the `earlier` positions with the same 3 bytes."""
    best_length, best_distance = 0, 0
    for start in reversed(earlier[-CANDIDATES:]):
        distance = at - start
        if distance > MAX_DISTANCE:
            break
        length = 0
        while at + length < len(data) and length < MAX_COPY and data[start + length] == data[at + length]:
            length += 1
        if length > best_length:
            best_length, best_distance = length, distance
    return best_length, best_distance


def pack(data):
    """`data` in the LZ77 format of the module doc: greedy matching with one byte of lookahead."""
    out = bytearray()
    literals = bytearray()
    positions = {}  # 3-byte prefix -> positions seen, ascending

    def remember(at):
        positions.setdefault(bytes(data[at:at + 3]), []).append(at)

    def match_at(at):
        if at + MIN_COPY > len(data):
            return 0, 0
        return longest_match(data, at, positions.get(bytes(data[at:at + 3]), []))

    def flush_literals():
        for start in range(0, len(literals), MAX_LITERALS):
            chunk = literals[start:start + MAX_LITERALS]
            out.append(len(chunk) - 1)
            out.extend(chunk)
        literals.clear()

    at = 0
    while at < len(data):
        length, distance = match_at(at)
        remember(at)
        # A longer copy one byte later is worth one more literal.
        if length >= MIN_COPY and match_at(at + 1)[0] <= length + 1:
            flush_literals()
            out.append(0x80 | (length - MIN_COPY))
            out.extend(distance.to_bytes(2, "little"))
            for skipped in range(at + 1, at + length):
                remember(skipped)
            at += length
        else:
            literals.append(data[at])
            at += 1
    flush_literals()
    return bytes(out)


def unpack(packed):
    """The inverse of pack(); the build checks every table with it."""
    out = bytearray()
    at = 0
    while at < len(packed):
        token = packed[at]
        if token < 0x80:
            out.extend(packed[at + 1:at + 2 + token])
            at += 2 + token
        else:
            distance = int.from_bytes(packed[at + 1:at + 3], "little")
            for _ in range((token & 0x7f) + MIN_COPY):
                out.append(out[-distance])
            at += 3
    return bytes(out)


def model_files(models_dir):
    found = []
    for directory, _, names in os.walk(models_dir):
        for name in names:
            path = os.path.relpath(os.path.join(directory, name), models_dir).replace(os.sep, "/")
            if name.endswith(".json") and path != "thing_model.schema.json":
                found.append(path)
    return sorted(found)


def table_source(models_dir):
    texts, rows = [], []
    offset = 0
    for path in model_files(models_dir):
        try:
            data = compact(strip_docs(load(os.path.join(models_dir, path)))).encode("utf-8")
        except ValueError as error:
            raise SystemExit(f"embed_thing_models.py: {path}: {error}")
        texts.append(data)
        rows.append(f'    {{"{path}", {offset}, {len(data)}}},')
        offset += len(data)
    if not rows:
        raise SystemExit(f"embed_thing_models.py: no model files under {models_dir}")
    text = b"".join(texts)
    packed = pack(text)
    if unpack(packed) != text:
        raise SystemExit("embed_thing_models.py: packing does not round-trip")
    lines = [",".join(f"0x{b:02x}" for b in packed[start:start + 24]) + "," for start in range(0, len(packed), 24)]
    return "\n".join([
        "// Generated by scripts/embed_thing_models.py from thing_models/ (minified, packed). Do not edit.",
        '#include "embedded_models.hpp"', "", "namespace docklink::thing::detail {", "",
        "const EmbeddedEntry kEmbeddedEntries[] = {", *rows, "};",
        f"const std::size_t kEmbeddedEntryCount = {len(rows)};", "",
        # Bytes, not a string literal: no escaping rules, no compiler string-length limits.
        "const unsigned char kPackedModels[] = {", *lines, "};",
        f"const std::size_t kPackedModelsSize = {len(packed)};",
        f"const std::size_t kUnpackedModelsSize = {len(text)};", "", "}  // namespace docklink::thing::detail", ""
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", required=True, help="the thing_models directory")
    parser.add_argument("--out", required=True, help="the C++ file to write")
    args = parser.parse_args()
    content = table_source(args.models)
    # Rewrite only on change, so an unrelated rebuild does not recompile the table.
    try:
        with open(args.out, encoding="utf-8") as existing:
            if existing.read() == content:
                return 0
    except FileNotFoundError:
        pass
    with open(args.out + ".tmp", "w", encoding="utf-8") as out:
        out.write(content)
    os.replace(args.out + ".tmp", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
