#!/usr/bin/env python3
"""Checks the layers of the tree, and prints them. Cargo keeps the crates apart
(`frontend -> app -> model <- core <- server`); this checks what Cargo cannot say: inside
each crate, the `use` graph has no cycle, neither between files nor between top-level
modules. It also checks that the crates' dependencies stay as the layers want them: the
shared types on serde only, the box's domain free of Leptos and axum, and `app` with its
`ssr` feature free of TLS, HTTP client and X.509 crates. Exits 1, saying what is wrong,
otherwise.

    scripts/check-layers.py            check, and print each crate's top-level graph
"""
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Crate roots, and the name by which a binary refers to its own library.
CRATES = {"model": ("model/src", None), "core": ("core/src", None),
          "app": ("app/src", None), "server": ("server/src", "iotbox")}
# What each crate must never pull in (package, features, crates). The page's server side
# has no TLS, HTTP client or X.509: the box behind its server functions is `core`'s.
FORBIDDEN = [
    ("iotbox-model", [], ["leptos", "axum", "tokio", "rustls"]),
    ("iotbox-core", ["crash-points"], ["leptos", "leptos_axum", "axum", "app"]),
    ("app", ["ssr"], ["rustls", "reqwest", "x509-parser", "rcgen", "iotbox-core"]),
]

PATH = re.compile(r"\b(crate|super|self|[a-z_][a-z0-9_]*)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
USE = re.compile(r"\buse\s+([^;]+);")


def module_of(src: pathlib.Path, file: pathlib.Path) -> tuple:
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib"):
        parts.pop()
    return tuple(parts)  # a binary's `main.rs` is a module of its own, `main`


def code_of(text: str) -> str:
    """The text without comments and string literals, which may name paths in passing, and
    with the paths of inline modules (`mod tests { use super::*; }`) made relative to the
    file's module, which is what their `super` is."""
    text = re.sub(r'r#*"(?:.|\n)*?"#*', '""', text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    text = re.sub(r"/\*(?:.|\n)*?\*/", "", text)
    text = re.sub(r"//[^\n]*", "", text)
    for inline in reversed(list(re.finditer(r"\bmod\s+\w+\s*\{", text))):
        depth, end = 0, inline.end() - 1
        for end in range(inline.end() - 1, len(text)):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                break
        body = re.sub(r"\bsuper::(super::)?",
                      lambda m: "super::" if m.group(1) else "self::",
                      text[inline.end():end])
        text = text[:inline.end()] + body + text[end:]
    return text


def expand(tree: str) -> list:
    """The paths of a `use` tree: `a::{b, c::{d, self}}` gives a::b, a::c::d and a::c."""
    if "{" not in tree:
        path = [s for s in tree.split("::") if s]
        while len(path) > 1 and path[-1] in ("self", "*"):
            path.pop()
        return [path] if path else []
    start = tree.index("{")
    prefix = [s for s in tree[:start].split("::") if s]
    inner, depth, parts, current = tree[start + 1:tree.rindex("}")], 0, [], ""
    for char in inner:
        depth += char == "{"
        depth -= char == "}"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [prefix + path for part in parts if part for path in expand(part)]


def paths_in(code: str) -> list:
    """Every module path the code names: in `use` trees, and written out in the code."""
    paths = []
    for tree in USE.findall(code):
        tree = re.sub(r"\s+as\s+\w+", "", tree)
        paths += expand(re.sub(r"\s+", "", tree))
    for head, tail in PATH.findall(USE.sub("", code)):
        paths.append([head] + [s for s in tail.split("::") if s])
    return paths


def edges_of(src: pathlib.Path, lib_name):
    modules = {module_of(src, f): f for f in sorted(src.rglob("*.rs"))}
    edges = {m: set() for m in modules}

    def resolve(segments):
        """The longest prefix of `segments` that is a module of the crate."""
        for end in range(len(segments), -1, -1):
            if tuple(segments[:end]) in modules:
                return tuple(segments[:end])
        return ()

    for module, file in modules.items():
        for path in paths_in(code_of(file.read_text())):
            head, rest = path[0], path[1:]
            if head == "crate" or (lib_name and head == lib_name and file.name == "main.rs"):
                base = []
            elif head == "super":
                base = list(module[:-1])
                while rest and rest[0] == "super":
                    rest.pop(0)
                    base = base[:-1]
            elif head == "self":
                base = list(module)
            elif module + (head,) in modules:  # a child module, named directly
                base, rest = list(module), path
            else:
                continue  # another crate, or a name of this module
            target = resolve(base + rest)
            if target != module:
                edges[module].add(target)
    return modules, edges


def cycles(edges):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    sys.setrecursionlimit(10000)
    for node in list(edges):
        if node not in index:
            visit(node)
    return found


def name(module) -> str:
    return "::".join(module) or "(root)"


def main() -> int:
    problems = []
    for crate, (src, lib_name) in CRATES.items():
        src = ROOT / src
        modules, edges = edges_of(src, lib_name)
        for component in cycles(edges):
            problems.append(f"{crate}: files import each other in a cycle: "
                            + ", ".join(sorted(map(name, component))))
        top = {}
        for module, targets in edges.items():
            for target in targets:
                if module[:1] and target[:1] and module[:1] != target[:1]:
                    top.setdefault(module[0], set()).add(target[0])
        for component in cycles(top):
            problems.append(f"{crate}: top-level modules import each other in a cycle: "
                            + ", ".join(sorted(component)))
        print(f"{crate}/src: {len(modules)} files; top-level modules and what they use:")
        for module in sorted({m[0] for m in modules if m}):
            print(f"  {module:18} -> {', '.join(sorted(top.get(module, ()))) or '-'}")

    for package, features, crates in FORBIDDEN:
        command = ["cargo", "tree", "-p", package, "-e", "normal", "--prefix", "none"]
        if features:
            command += ["--features", ",".join(features)]
        tree = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout
        for crate in crates:
            if re.search(rf"^{re.escape(crate)} v", tree, re.MULTILINE):
                problems.append(f"{package} depends on {crate}, which its layer must not")

    for problem in problems:
        print(f"layers: {problem}", file=sys.stderr)
    if not problems:
        print("layers: no import cycle; no crate depends on what its layer must not")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
