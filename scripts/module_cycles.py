#!/usr/bin/env python3
"""The import cycles between the top-level modules of each published crate.

    python3 scripts/module_cycles.py [--graph]

Every file under a crate's `src/` belongs to its top-level module
(`src/actix/guard.rs` to `actix`); test modules count like any other code.
An edge a -> b is a path `crate::b` (or `$crate::b`) written in a's files.
Prints each cycle (strongly connected set of two or more modules) and exits
1 when there is one, so CI fails on a new cycle.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CRATES = ["cors-credentials-rules", "cors-credentials-macros", "cors-credentials"]


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    # String literals: a path in a string is not an import.
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


def first_segments(text, start):
    """The first path segments after `crate::` at `start`: one name, or each
    name of a `{..}` group."""
    if text.startswith("{", start):
        depth, i, names, item = 0, start, [], ""
        while i < len(text):
            c = text[i]
            if c == "{":
                depth += 1
                if depth == 1:
                    item = ""
                    i += 1
                    continue
            elif c == "}":
                depth -= 1
                if depth == 0:
                    names.append(item)
                    break
            if depth == 1 and c == ",":
                names.append(item)
                item = ""
            elif depth >= 1:
                item += c
            i += 1
        out = []
        for name in names:
            m = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)", name)
            if m:
                out.append(m.group(1))
        return out
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)", text[start:])
    return [m.group(1)] if m else []


def graph(crate):
    src = ROOT / crate / "src"
    files = sorted(src.rglob("*.rs"))
    top = {}
    for f in files:
        rel = f.relative_to(src)
        name = rel.parts[0].removesuffix(".rs")
        top[f] = name
    modules = {n for n in top.values() if n not in ("lib", "main")}
    edges = {m: set() for m in modules | {"lib"}}
    for f, name in top.items():
        text = strip_comments(f.read_text())
        for m in re.finditer(r"(?<![A-Za-z0-9_])\$?crate::", text):
            for seg in first_segments(text, m.end()):
                if seg in modules and seg != name:
                    edges.setdefault(name, set()).add(seg)
    return edges


def sccs(edges):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def main():
    found = 0
    for crate in CRATES:
        edges = graph(crate)
        cycles = sccs(edges)
        found += len(cycles)
        if "--graph" in sys.argv:
            for a in sorted(edges):
                if a != "lib":
                    print(f"{crate}: {a} -> {', '.join(sorted(edges[a])) or '-'}")
        for comp in cycles:
            ring = [f"{a} -> {b}" for a in comp for b in sorted(edges[a]) if b in comp]
            print(f"{crate}: cycle among {', '.join(comp)} ({'; '.join(ring)})")
    print(f"{found} import cycle(s) in {len(CRATES)} crates")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
