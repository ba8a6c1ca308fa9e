"""trafilatura's XPath expressions, made cheaper without changing what they select.

trafilatura finds boilerplate and content with XPath expressions that test
class and id attributes with EXSLT regular expressions
(``re:test(@class, 'comment|share-')``). lxml runs each ``re:test`` as a
Python call, made for every element the step visits, whether it has the
attribute or not, and turns its argument into a Python string that keeps a
reference to its element. Over the 990 pages of bench/extraction.py those
calls were a tenth of a worker's CPU.

:func:`install` compiles each of trafilatura's expressions again with a test
that libxml2 answers natively placed before every ``re:test``, which XPath's
``and`` then skips when the test fails:

* ``re:test(@class, P)`` becomes ``(@class and re:test(@class, P))``: an element
  without the attribute cannot match, as long as ``P`` does not match the empty
  string (checked; otherwise the call is left alone);
* when every string ``P`` matches must contain one of at most
  ``MAX_LITERALS`` literal strings (:func:`required_literals`; case-sensitive
  patterns only), ``contains(@class, 'literal') or …`` comes first too;
* expressions that select elements are compiled with ``smart_strings=False``:
  the attribute values handed to ``re:test`` are plain strings;
* a union of descendant steps (``.//aside|.//div[P]|.//*[Q]``), which libxml2
  walks once per step, becomes one step with the tests or-ed
  (``.//*[self::aside or (self::div and (P)) or (Q)]``), when no predicate
  depends on a position (:func:`merged_union`).

The same elements in the same order, by construction; ``tests/test_xpathguard.py``
checks the literals against strings generated from every pattern, and the
extraction of pages with and without the guards.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from lxml.etree import XPath, XPathSyntaxError

REGEXP_NS = "http://exslt.org/regular-expressions"
# More alternatives than this cost libxml2 more (one contains() each) than the regex call they save.
MAX_LITERALS = 4
# re:test(<attributes>, '<pattern>'[, '<flags>']): an argument of attributes of the context element only.
_RE_TEST = re.compile(r"re:test\(\s*(@[\w-]+(?:\s*\|\s*@[\w-]+)*)\s*,\s*'([^']*)'\s*(?:,\s*'([^']*)'\s*)?\)")
_PREDICATE = re.compile(r"\[[^\[\]]*\]")
# Once its predicates are out, an expression that names an attribute, calls a function (text(), string())
# or holds a literal may give strings.
_NOT_ELEMENTS = re.compile(r"@|[\w-]\s*\(|['\"]")

_STEP = re.compile(r"\s*\.//(\*|[A-Za-z][\w-]*)\s*(?:\[(.*)\])?\s*", re.S)
_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
# Outside its literals, what may make a predicate's value depend on the position or be a number.
_POSITIONAL = re.compile(r"\d|position\(|last\(|count\(|length\(|sum\(|number\(|floor\(|ceiling\(|round\("
                         r"|\bdiv\b|\bmod\b|[-+*]")

_installed: dict[int, tuple[XPath, XPath]] = {}  # id(original) -> (original, guarded)


class _Unknown(Exception):
    """Syntax :func:`required_literals` does not read: no literals are claimed."""


def required_literals(pattern: str) -> list[str] | None:
    """Strings one of which every match of ``pattern`` contains, or ``None`` when that is not known.

    Reads a subset of the syntax (literals, escapes, classes, groups,
    lookarounds, anchors, quantifiers); anything else gives ``None``. For
    each alternative, the longest run of characters that every match has in a
    row, or a mandatory group's own literals when they are longer.
    """
    try:
        found, end = _alternation(pattern, 0)
    except _Unknown:
        return None
    return found if end == len(pattern) else None


def _alternation(p: str, i: int) -> tuple[list[str] | None, int]:
    branches = []
    while True:
        found, i = _branch(p, i)
        branches.append(found)
        if i < len(p) and p[i] == "|":
            i += 1
            continue
        if any(branch is None for branch in branches):
            return None, i
        return [literal for branch in branches if branch for literal in branch], i


def _atom(p: str, i: int) -> tuple[str, str | None, list[str] | None, int]:
    """The atom at ``p[i]``: kind (``literal``, ``group``, ``zero``, ``other``), character, literals, next index."""
    c = p[i]
    if c == "\\":
        if i + 1 >= len(p):
            raise _Unknown
        escaped = p[i + 1]
        if escaped.isalnum():  # \d, \s, \b, \1, \x41...: a class, an assertion or a code: not a literal
            if not escaped.isalpha() and not escaped.isdigit():
                raise _Unknown
            if escaped in "xuUNpP0":  # codes of a variable length
                raise _Unknown
            return "other", None, None, i + 2
        return "literal", escaped, None, i + 2
    if c == "[":
        j = i + 1
        j += p.startswith("^", j)
        j += p.startswith("]", j)
        while j < len(p) and p[j] != "]":
            j += 2 if p[j] == "\\" else 1
        if j >= len(p):
            raise _Unknown
        return "other", None, None, j + 1
    if c == "(":
        if p.startswith(("(?=", "(?!"), i):
            kind, start = "zero", i + 3
        elif p.startswith(("(?<=", "(?<!"), i):
            kind, start = "zero", i + 4
        elif p.startswith("(?:", i):
            kind, start = "group", i + 3
        elif p.startswith("(?", i):  # flags, named groups, conditionals
            raise _Unknown
        else:
            kind, start = "group", i + 1
        inner, j = _alternation(p, start)
        if j >= len(p) or p[j] != ")":
            raise _Unknown
        return kind, None, inner if kind == "group" else None, j + 1
    if c in "^$.":
        return "other", None, None, i + 1
    if c in "*+?{":
        raise _Unknown
    return "literal", c, None, i + 1


def _quantifier(p: str, i: int) -> tuple[bool, bool, int]:
    """(at least once, repeated, next index) of the quantifier at ``p[i]``, if any."""
    if i >= len(p) or p[i] not in "*+?{":
        return True, False, i
    if p[i] == "{":
        end = p.find("}", i)
        low = p[i + 1:end].split(",")[0].strip() if end > 0 else ""
        if not low.isdigit():
            raise _Unknown
        mandatory, i = int(low) > 0, end + 1
    else:
        mandatory, i = p[i] == "+", i + 1
    if i < len(p) and p[i] in "?+":  # lazy, possessive
        i += 1
    return mandatory, True, i


def _branch(p: str, i: int) -> tuple[list[str] | None, int]:
    candidates: list[list[str]] = []
    run = ""
    while i < len(p) and p[i] not in "|)":
        kind, char, inner, i = _atom(p, i)
        mandatory, repeated, i = _quantifier(p, i)
        if kind == "literal" and mandatory and char is not None:
            run += char
            if not repeated:
                continue
        if run:
            candidates.append([run])
            run = ""
        if kind == "group" and mandatory and inner:
            candidates.append(inner)
    if run:
        candidates.append([run])
    if not candidates:
        return None, i
    return max(candidates, key=lambda literals: (min(map(len, literals)), -len(literals))), i


def _guarded_call(match: re.Match[str]) -> str:
    argument, pattern, flags = match.group(1), match.group(2), match.group(3) or ""
    try:
        compiled = re.compile(pattern, re.IGNORECASE if "i" in flags else 0)
    except re.error:
        return match.group(0)
    if compiled.search("") is not None:  # matches without the attribute: no guard holds
        return match.group(0)
    guards = [f"({argument})"]
    literals = None if "i" in flags else required_literals(pattern)
    if literals and len(literals) <= MAX_LITERALS and not any("'" in literal for literal in literals):
        guards.append("(" + " or ".join(f"contains({argument}, '{literal}')" for literal in literals) + ")")
    return "(" + " and ".join([*guards, match.group(0)]) + ")"


def _top_level(path: str, separator: str) -> list[str] | None:
    """``path`` split at each ``separator`` outside brackets, parentheses and literals (None if unbalanced)."""
    parts, depth, start, quote = [], 0, 0, ""
    for index, char in enumerate(path):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
            if depth < 0:
                return None
        elif char == separator and depth == 0:
            parts.append(path[start:index])
            start = index + 1
    if depth or quote:
        return None
    return [*parts, path[start:]]


def merged_union(path: str) -> str:
    """A union of descendant steps with at most one position-free predicate each, as one step; else ``path``."""
    parts = _top_level(path, "|")
    if parts is None or len(parts) < 2:
        return path
    tests = []
    for part in parts:
        match = _STEP.fullmatch(part)
        if match is None:
            return path
        name, predicate = match.group(1), match.group(2)
        if predicate is not None and (_top_level(predicate, "|") is None  # unbalanced: more than one predicate
                                      or _POSITIONAL.search(_LITERAL.sub("", predicate)) or not predicate.strip()):
            return path
        if name == "*" and predicate is None:
            return ".//*"
        if name == "*":
            tests.append(f"({predicate})")
        elif predicate is None:
            tests.append(f"self::{name}")
        else:
            tests.append(f"(self::{name} and ({predicate}))")
    return ".//*[" + " or ".join(tests) + "]"


def guarded_path(path: str) -> str:
    """``path`` with a native test before each of its ``re:test`` calls on attributes."""
    return _RE_TEST.sub(_guarded_call, path)


def selects_elements(path: str) -> bool:
    """Whether ``path``'s results are elements (no attribute, text or function result once predicates are out)."""
    bare = path
    while True:
        stripped = _PREDICATE.sub("", bare)
        if stripped == bare:
            break
        bare = stripped
    return _NOT_ELEMENTS.search(bare) is None


def guarded(expression: XPath) -> XPath:
    """``expression`` compiled again with its guards, or itself when nothing is to gain or it does not compile."""
    path = expression.path
    new = guarded_path(merged_union(path))
    if new == path:
        return expression
    try:
        return XPath(new, namespaces={"re": REGEXP_NS}, smart_strings=not selects_elements(path))
    except XPathSyntaxError:
        return expression


def install() -> int:
    """Put guarded expressions in place of trafilatura's, in every trafilatura module loaded; how many there are."""
    ours = {id(new) for _, new in _installed.values()}
    for module in _modules():
        for holder, key, value in _slots(module):
            if id(value) in ours:
                continue
            if id(value) in _installed and _installed[id(value)][0] is value:
                holder[key] = _installed[id(value)][1]
                continue
            new = guarded(value)
            if new is not value:
                _installed[id(value)] = (value, new)
                holder[key] = new
    return len(_installed)


def uninstall() -> None:
    """trafilatura's own expressions back (tests compare both)."""
    originals = {id(new): original for original, new in _installed.values()}
    for module in _modules():
        for holder, key, value in _slots(module):
            if id(value) in originals:
                holder[key] = originals[id(value)]


def _modules() -> list[Any]:
    return [module for name, module in list(sys.modules.items())
            if module is not None and (name == "trafilatura" or name.startswith("trafilatura."))]


def _slots(module: Any) -> list[tuple[Any, Any, XPath]]:
    """(holder, key, expression) of every XPath a module holds, alone or in a list."""
    found: list[tuple[Any, Any, XPath]] = []
    namespace = vars(module)
    for name, value in list(namespace.items()):
        if isinstance(value, XPath):
            found.append((namespace, name, value))
        elif isinstance(value, list):
            found.extend((value, index, item) for index, item in enumerate(value) if isinstance(item, XPath))
    return found
