#!/usr/bin/env python3
"""Footprint of one DockLink build tree: stripped sizes, split into our code and the dependencies.

    footprint.py --build DIR --name NAME [--tool-prefix TRIPLE-] [--sysroot DIR]
                 [--header] [--deps-header]  [--deps]

Prints markdown table rows (scripts/bench.sh puts them together):
  default: | NAME | libdocklink.so | core | embedded models | posix | mbedtls | paho | rest |
           libdocklink_things.so | libdocklink_loopback.so | dock-sim |
  --deps:  | NAME | libpaho-mqttpp3 | libpaho-mqtt3as | libmbedtls+x509+crypto | libssl | libcrypto | libstdc++ |

The split comes from the link map that cmake/DockLinkFootprint.cmake has the linker write (ports/<lib>.map): each
input section that ends up in a section of the stripped file is counted for the object it came from. "rest" is
what the linker makes itself (dynamic symbol and string tables, PLT/GOT, relocations, ELF headers, alignment)
plus the C runtime's start files: the stripped size minus everything attributed.

A link-time optimised library (DOCKLINK_LTO) is made of the compiler's partitions (*.ltrans.o), not of our
objects. Their sections are per function and per object (.text.<symbol>, .rodata.<symbol>, ...), so each is
counted for the object that defines <symbol> (the objects are fat: nm lists their symbols), a template defined in
several for the first in link order, as the linker itself would pick. What names no symbol (unwind tables
.eh_frame and .gcc_except_table, merged string constants) cannot be told apart per object any more and is
counted in "rest". Dependencies are the shared
libraries libdocklink.so needs, as the target's dynamic loader would find them (the sysroot for a cross build),
stripped with the target's strip.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

COMPONENTS = ["core", "embedded models", "posix", "mbedtls", "paho"]
DEPENDENCIES = [
    ("libpaho-mqttpp3", ["libpaho-mqttpp3.so.1"]),
    ("libpaho-mqtt3as", ["libpaho-mqtt3as.so.1"]),
    ("libmbedcrypto", ["libmbedcrypto.so.7"]),  # libmbedtls and libmbedx509 are not needed
    ("libssl", ["libssl.so.3"]),
    ("libcrypto", ["libcrypto.so.3"]),
    ("libstdc++", ["libstdc++.so.6"]),
]


def stripped(path, tool_prefix):
    """Writes a stripped copy of `path`; returns (its size, the names of its sections that occupy file bytes)."""
    with tempfile.NamedTemporaryFile(suffix=".stripped") as copy:
        subprocess.run([tool_prefix + "strip", "--strip-all", "-o", copy.name, path], check=True)
        size = os.path.getsize(copy.name)
        headers = subprocess.run([tool_prefix + "readelf", "-SW", copy.name], check=True, capture_output=True,
                                 text=True).stdout
    sections = set()
    for line in headers.splitlines():
        match = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+(\S+)", line)
        if match and match.group(2) != "NOBITS" and match.group(1) != "NULL":
            sections.add(match.group(1))
    return size, sections


def component(object_path):
    if "docklink_thing_models" in object_path:
        return "embedded models"
    if "docklink_core.dir" in object_path:
        return "core"
    if "docklink_things_objects.dir" in object_path:
        return "things"
    match = re.search(r"docklink_port_(\w+)\.dir", object_path)
    return match.group(1) if match else None


# Suffixes GCC gives clones and private copies of a function (foo.constprop.0, foo.lto_priv.0, foo.cold).
# Constants of a function get its name plus a suffix (.rodata.<function>.str1.1, .rodata.<function>.cst8).
CLONE_SUFFIX = re.compile(r"\.(constprop|isra|part|lto_priv|cold|localalias|str\d+|cst\d+)(\.\d+)?")
SECTION_PREFIXES = (".text.unlikely.", ".text.startup.", ".text.", ".rodata.", ".data.rel.ro.local.",
                    ".data.rel.ro.", ".data.", ".bss.", ".tbss.", ".gcc_except_table.")


def symbol_owners(map_path, tool_prefix):
    """{symbol: component} for the symbols our objects define, the first object in link order winning. readelf,
    not nm: nm shows a fat LTO object's bytecode symbols, which leave out its local ones."""
    owners = {}
    base = os.path.dirname(map_path)
    with open(map_path, encoding="utf-8", errors="replace") as lines:
        objects = [line.split()[1] for line in lines if line.startswith("LOAD ")]
    for path in objects:
        name = component(path)
        if not name:
            continue
        listed = subprocess.run([tool_prefix + "readelf", "--syms", "--wide", os.path.join(base, path)],
                                capture_output=True, text=True).stdout
        for line in listed.splitlines():
            fields = line.split()  # Num: Value Size Type Bind Vis Ndx Name
            if len(fields) == 8 and fields[3] in ("FUNC", "OBJECT", "TLS") and fields[6] != "UND":
                owners.setdefault(fields[7], name)
    return owners


def owner_of_section(section_name, owners):
    for prefix in SECTION_PREFIXES:
        if section_name.startswith(prefix):
            symbol = CLONE_SUFFIX.sub("", section_name[len(prefix):])
            return owners.get(symbol)
    return None


def split_by_map(map_path, kept_sections, tool_prefix=""):
    """Bytes per component of the input sections placed in `kept_sections`, from a GNU ld map file."""
    owners = None
    totals = {}
    output_section = None
    pending_name = None
    in_map = False
    with open(map_path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not in_map:
                in_map = line.startswith("Linker script and memory map")
                continue
            out = re.match(r"^(\.\S+|\S+)(\s+0x[0-9a-f]+\s+0x[0-9a-f]+)?\s*$", line)
            if out and not line.startswith(" "):
                output_section = out.group(1)
                continue
            full = re.match(r"^ (\S+)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S.*)$", line)
            if full:
                pending_name = None
                section, size, path = full.group(1), int(full.group(2), 16), full.group(3)
            else:
                name_only = re.match(r"^ (\S+)$", line)
                if name_only:
                    pending_name = name_only.group(1)
                    continue
                tail = re.match(r"^\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S.*)$", line)
                if not (pending_name and tail):
                    continue
                section, pending_name = pending_name, None
                size, path = int(tail.group(1), 16), tail.group(2)
            if output_section not in kept_sections:
                continue
            if ".ltrans" in path:  # a partition of a link-time optimised link
                if owners is None:
                    owners = symbol_owners(map_path, tool_prefix)
                name = owner_of_section(section, owners)
            else:
                name = component(path)
            if name:
                totals[name] = totals.get(name, 0) + size
    return totals


def find_dependency(soname, sysroot, triple):
    roots = [sysroot] if sysroot else ["/"]
    for root in roots:
        for directory in (f"usr/lib/{triple}", f"lib/{triple}", "usr/lib", "lib"):
            path = os.path.join(root, directory, soname)
            if os.path.exists(path):
                return os.path.realpath(path)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", help="a configured and built DockLink tree")
    parser.add_argument("--name", default="?", help="the target's name in the first column")
    parser.add_argument("--tool-prefix", default="", help="binutils prefix, e.g. aarch64-linux-gnu-")
    parser.add_argument("--sysroot", default="", help="where the target's libraries are (cross builds)")
    parser.add_argument("--triple", default="x86_64-linux-gnu", help="Debian multiarch triple of the target")
    parser.add_argument("--header", action="store_true", help="print the header of the chosen table")
    parser.add_argument("--deps", action="store_true", help="the dependencies' table instead of ours")
    args = parser.parse_args()

    if args.header:
        if args.deps:
            names = [name for name, _ in DEPENDENCIES]
            print("| target | " + " | ".join(names) + " | sum |")
            print("| --- |" + " ---: |" * (len(names) + 1))
        else:
            columns = ["libdocklink.so", "core", "embedded models", "posix port", "mbedtls port", "paho port",
                       "rest", "libdocklink_things.so", "libdocklink_loopback.so", "dock-sim"]
            print("| target | " + " | ".join(columns) + " |")
            print("| --- |" + " ---: |" * len(columns))
        return 0

    if args.deps:
        cells = []
        total = 0
        for _, sonames in DEPENDENCIES:
            size = 0
            for soname in sonames:
                path = find_dependency(soname, args.sysroot, args.triple)
                if not path:
                    size = None
                    break
                size += stripped(path, args.tool_prefix)[0]
            cells.append("?" if size is None else str(size))
            total += size or 0
        print(f"| {args.name} | " + " | ".join(cells) + f" | {total} |")
        return 0

    ports = os.path.join(args.build, "ports")
    library = os.path.join(ports, "libdocklink.so")
    things = os.path.join(ports, "libdocklink_things.so")
    loopback = os.path.join(ports, "libdocklink_loopback.so")
    sim = os.path.join(args.build, "samples", "dock-sim")
    library_map = os.path.join(ports, "docklink_shared.map")
    if not os.path.exists(library) or not os.path.exists(library_map):
        print(f"| {args.name} | no build with a link map in {args.build} |" + " |" * 9)
        return 0
    size, sections = stripped(os.path.realpath(library), args.tool_prefix)
    parts = split_by_map(library_map, sections, args.tool_prefix)
    rest = size - sum(parts.get(name, 0) for name in COMPONENTS)
    cells = [str(size)] + [str(parts.get(name, 0)) for name in COMPONENTS] + [str(rest)]
    for extra in (things, loopback):
        cells.append(str(stripped(os.path.realpath(extra), args.tool_prefix)[0]) if os.path.exists(extra) else "-")
    cells.append(str(stripped(sim, args.tool_prefix)[0]) if os.path.exists(sim) else "-")
    print(f"| {args.name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
