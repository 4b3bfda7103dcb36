#!/usr/bin/env python3
"""Fails when a C/C++ function body is longer than the project's limit (60 lines: a function fits on a screen).

   scripts/check-function-length.py [--list] [SOURCE_DIR]

Measured: every function body (the lines from its opening brace to its closing brace, both included) in sdk/,
ports/, samples/, tests/support/ and tests/conformance/. A lambda counts towards the function it is written in; a
lambda at namespace scope (in a table, say) is measured on its own. Not measured: the test bodies of tests/unit,
tests/integration and tests/samples. A CppUTest TEST reads as one scenario (arrange, act, assert, top to bottom);
split over helpers it hides the sequence a reader checks, and its length is the scenario's, not a design choice.

scripts/function-length-allowlist.txt names functions that may stay longer for now, each with the length it had when
it was listed. The list may only shrink: an entry fails the check when its function grew past its recorded length,
when it names a file outside the areas below, and when its function is gone or no longer too long (then delete the
line). --list prints every measured function over the limit, allowlisted or not.

The parser is a brace counter over the source with comments, string and character literals and preprocessor lines
blanked out; it knows namespaces, classes and initialisers from function bodies by the text before the brace. It
needs no compiler, so it runs in seconds on the host in every CI configuration.
"""

import fnmatch
import os
import re
import subprocess
import sys

LIMIT = 60
MEASURED = ("sdk/", "ports/", "samples/", "tests/support/", "tests/conformance/")
SUFFIXES = (".cpp", ".hpp", ".cc", ".h", ".c")
ALLOWLIST = "scripts/function-length-allowlist.txt"
# Areas whose long functions are being rewritten in parallel work; only they may appear in the allowlist.
ALLOWLISTABLE = ("sdk/src/client_*", "sdk/src/transfer/*", "sdk/src/iotda/*", "sdk/src/iotda_*")

CONTAINER_WORDS = re.compile(r"\b(namespace|class|struct|union|enum|extern|TEST_GROUP|TEST_GROUP_BASE)\b")
QUALIFIERS = re.compile(r"^(\s|const\b|noexcept\b|override\b|final\b|volatile\b|mutable\b|try\b|&)*(->.*)?$", re.S)
LAMBDA_INTRODUCER = re.compile(r"(?<!\[)\[[^\[\]]*\](?!\])\s*(\(|mutable\b|->|$)")
NAME_BEFORE_PAREN = re.compile(r"(operator\s*(?:\(\)|[^\s(]+)|[~\w:]+(?:<[^()]*>)?)\s*$")


def blank(text):
    """Returns text with comments, literals and preprocessor lines replaced by spaces (newlines kept)."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == "#":
            j = i
            while j < n and not (text[j] == "\n" and text[j - 1] != "\\"):
                j += 1
            out.append(_keep_newlines(text[i:j]))
            i = j
            continue
        if c == "/" and text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
            continue
        if c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(_keep_newlines(text[i:j]))
            i = j
            continue
        raw = re.match(r'R"([^(\s]{0,16})\(', text[i:i + 20]) if c == "R" and (i == 0 or not _word(text[i - 1])) else None
        if raw:
            end = text.find(")" + raw.group(1) + '"', i)
            j = n if end < 0 else end + len(raw.group(1)) + 2
            out.append(_keep_newlines(text[i:j]))
            i = j
            continue
        if c in "\"'" and not (c == "'" and i > 0 and text[i - 1].isalnum()):  # 1'000 is a digit separator
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (min(j + 1, n) - i))
            i = j + 1
            continue
        if c == "\n":
            line_start = True
        elif not c.isspace():
            line_start = False
        out.append(c)
        i += 1
    return "".join(out)


def _keep_newlines(s):
    return "".join("\n" if ch == "\n" else " " for ch in s)


def _word(ch):
    return ch.isalnum() or ch == "_"


def outside_parens(header):
    """The header with every parenthesised part removed (so `f(struct x)` is not a struct)."""
    depth, kept = 0, []
    for ch in header:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            kept.append(ch)
    return "".join(kept)


def classify(header):
    """'function', 'container' or 'init' for a brace opened outside any function, from the text before it."""
    stripped = header.strip()
    last_close = max(stripped.rfind(")"), stripped.rfind("}"))
    if "(" in stripped and last_close >= 0 and QUALIFIERS.match(stripped[last_close + 1:]):
        if stripped.rfind(")") > 0 and not CONTAINER_WORDS.search(stripped.split("(")[0]):
            return "function"
    if CONTAINER_WORDS.search(outside_parens(stripped)) and not stripped.endswith("="):
        return "container"
    return "init"


def function_name(header):
    text = " ".join(header.split())
    if LAMBDA_INTRODUCER.search(text):
        return "<lambda>"
    for match in re.finditer(r"\(", text):  # the name stands before the first parameter list
        head = text[:match.start()]
        if re.search(r"\b(decltype|alignas|__attribute__|__declspec)\s*$", head) or head.count("(") != head.count(")"):
            continue
        found = NAME_BEFORE_PAREN.search(head)
        if found:
            name = found.group(1)
            if re.fullmatch(r"[A-Z_]+", name):  # a macro such as TEST(Group, Name): its arguments name it
                close = text.find(")", match.start())
                return text[found.start():close + 1]
            return name
    return text[-40:]


def long_functions(path, limit):
    """Yields (name, first line, length) for every function body in path longer than limit lines."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = blank(f.read())
    stack = []  # kinds of the open braces: 'container', 'init', 'function', 'inner'
    header_start = 0
    line = 1
    opened = []  # (line, name) of the open function braces, parallel to 'function' entries on the stack
    for i, ch in enumerate(text):
        if ch == "\n":
            line += 1
        elif ch == "{":
            in_function = any(k == "function" for k in stack)
            kind = "inner" if in_function else classify(text[header_start:i])
            if kind == "function":
                opened.append((line, function_name(text[header_start:i])))
            stack.append(kind)
            if kind != "init":
                header_start = i + 1
        elif ch == "}":
            kind = stack.pop() if stack else "container"
            if kind == "init":
                continue  # a member initialiser (b_{2}) or a table: the declaration goes on
            if kind == "function":
                first, name = opened.pop()
                length = line - first + 1
                if length > limit:
                    yield name, first, length
            if not any(k in ("function", "init") for k in stack):
                header_start = i + 1
        elif ch == ";" and not any(k in ("function", "init") for k in stack):
            header_start = i + 1


def source_files(root):
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root,
                                check=True, capture_output=True).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError):
        listed = []
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(("build", "."))]
            listed += [os.path.relpath(os.path.join(folder, f), root) for f in files]
    return sorted(p for p in listed if p.startswith(MEASURED) and p.endswith(SUFFIXES)
                  and os.path.isfile(os.path.join(root, p)))


def read_allowlist(root):
    """{(path, name): recorded length} from the allowlist; '#' starts a comment."""
    entries, problems = {}, []
    path = os.path.join(root, ALLOWLIST)
    if not os.path.exists(path):
        return entries, problems
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            fields = raw.split("#", 1)[0].split()
            if not fields:
                continue
            if len(fields) != 3 or not fields[2].isdigit():
                problems.append(f"{ALLOWLIST}:{number}: expected 'PATH FUNCTION LENGTH', got: {raw.strip()}")
            elif not any(fnmatch.fnmatch(fields[0], pattern) for pattern in ALLOWLISTABLE):
                problems.append(f"{ALLOWLIST}:{number}: {fields[0]} is not in an allowlistable area "
                                f"({', '.join(ALLOWLISTABLE)}); shorten the function instead")
            else:
                entries[(fields[0], fields[1])] = int(fields[2])
    return entries, problems


def main(argv):
    list_all = "--list" in argv
    args = [a for a in argv if a != "--list"]
    root = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(__file__), ".."))
    allowed, problems = read_allowlist(root)
    seen = set()
    for path in source_files(root):
        for name, first, length in long_functions(os.path.join(root, path), LIMIT):
            where = f"{path}:{first}: {name} is {length} lines"
            key = (path, name)
            if list_all:
                print(where + (" (allowlisted)" if key in allowed else ""))
            if key in allowed:
                seen.add(key)
                if length > allowed[key]:
                    problems.append(f"{where}, longer than the {allowed[key]} the allowlist records "
                                    "(the allowlist may only shrink: shorten it)")
            else:
                problems.append(f"{where} (limit {LIMIT}): split it into smaller functions")
    for (path, name), length in sorted(allowed.items()):
        if (path, name) not in seen:
            problems.append(f"{ALLOWLIST}: {path} {name} is gone or no longer over {LIMIT} lines: "
                            "delete its line")
    if problems:
        print("check-function-length:", len(problems), "problem(s)", file=sys.stderr)
        for problem in problems:
            print("  " + problem, file=sys.stderr)
        return 1
    print(f"check-function-length: no function body over {LIMIT} lines outside the allowlist "
          f"({len(allowed)} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
