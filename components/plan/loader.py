"""Loading a plan file safely and reporting every problem with its line and YAML path.

Any bytes may arrive here (a hand-edited file, an upload, a hostile file), so
the loader never constructs anything but plain data, bounds size and alias
expansion, and turns every failure into a `Problem` rather than an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Generic, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from components.plan.model import Plan, cross_check

MAX_BYTES = 8 * 1024 * 1024
MAX_NODES = 500_000
MAX_DEPTH = 64
M = TypeVar("M", bound=BaseModel)
ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}  {self.path or '(document)'}  {self.message}"


def format_path(parts: tuple) -> str:
    """`("tasks", 12, "lead", 0)` → `tasks[12].lead[0]`, the form people read in messages."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class _Builder:
    """Turns a composed YAML node tree into plain data, recording each path's line."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[tuple, int] = {}
        self.problems: list[Problem] = []
        self.nodes_seen = 0
        self._scalars = yaml.SafeLoader("")

    def problem(self, node: Node | None, path: tuple, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(Problem(self.file, line, format_path(path), message))

    def build(self, node: Node, path: tuple = (), depth: int = 0) -> object:
        self.nodes_seen += 1
        if self.nodes_seen > MAX_NODES:
            raise _TooLarge
        if depth > MAX_DEPTH:
            self.problem(node, path, f"nested deeper than {MAX_DEPTH} levels")
            return None
        self.lines.setdefault(path, node.start_mark.line + 1)
        if node.tag not in ALLOWED_TAGS:
            self.problem(node, path, f"tag {node.tag!r} is not allowed: only plain YAML data is read")
            return None
        if isinstance(node, ScalarNode):
            try:
                return self._scalars.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError, OverflowError) as error:
                self.problem(node, path, f"bad value {node.value!r}: {error}")
                return None
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in ALLOWED_TAGS:
                self.problem(key_node, path, "mapping keys must be plain text")
                continue
            key = self._scalars.construct_object(key_node)
            if key in result:
                self.problem(key_node, (*path, str(key)), f"duplicate key {key!r}")
                continue
            self.lines.setdefault((*path, str(key)), key_node.start_mark.line + 1)
            result[key] = self.build(value_node, (*path, str(key)), depth + 1)
        return result


class _TooLarge(Exception):
    pass


def _line_for(lines: dict[tuple, int], parts: tuple) -> int | None:
    """The line of the nearest enclosing node that exists in the file."""
    for end in range(len(parts), -1, -1):
        line = lines.get(tuple(str(p) if not isinstance(p, int) else p for p in parts[:end]))
        if line is not None:
            return line
    return None


def _decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    if len(raw) > MAX_BYTES:
        return None, [Problem(file, None, "", f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}")]
    if not raw.strip():
        return None, [Problem(file, None, "", "file is empty")]
    if b"\x00" in raw:
        return None, [Problem(file, None, "", "file is binary (contains NUL bytes), not a YAML text file")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        hint = ""
        try:
            raw.decode("gb18030")
            hint = " (it looks like GBK/GB18030: save it as UTF-8)"
        except UnicodeDecodeError:
            pass
        return None, [Problem(file, line, "", f"not valid UTF-8 at byte {error.start}{hint}")]


# libyaml's parser when PyYAML has it: about ten times faster than the pure-Python one (an 8 MB plan took half a minute).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_COLLECTIONS = {yaml.SequenceStartEvent: SequenceNode, yaml.MappingStartEvent: MappingNode}


class _Refused(Exception):
    """A document the composer stops reading at `event`: an undefined alias, or nesting past MAX_DEPTH."""

    def __init__(self, event: yaml.Event, message: str) -> None:
        self.event = event
        self.message = message


def _document(loader) -> Node:
    """One document's node tree from the parser's events, built with a stack instead of recursion.

    libyaml's own composer recurses in C, and a document nested a hundred thousand levels deep crashed the process;
    PyYAML's recurses in Python. Reading stops past MAX_DEPTH levels: both scanners do work in proportion to the
    depth for every token, so a deep document read to its end took a minute.
    """
    loader.get_event()  # DocumentStartEvent
    anchors: dict[str, Node] = {}
    open_nodes: list[Node] = []
    keys: list[Node | None] = []  # per open mapping: a key waiting for its value
    root: Node | None = None
    while root is None:
        event = loader.get_event()
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            node = open_nodes.pop()
            keys.pop()
            node.end_mark = event.end_mark
            if open_nodes:
                continue
            root = node
            break
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise _Refused(event, f"YAML syntax error: found undefined alias {event.anchor!r}")
            node = anchors[event.anchor]
        elif isinstance(event, yaml.ScalarEvent):
            tag = event.tag if event.tag not in (None, "!") else loader.resolve(ScalarNode, event.value, event.implicit)
            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        else:
            kind = _COLLECTIONS[type(event)]
            tag = event.tag if event.tag not in (None, "!") else loader.resolve(kind, None, event.implicit)
            node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
        if getattr(event, "anchor", None) is not None and not isinstance(event, yaml.AliasEvent):
            anchors[event.anchor] = node
        if open_nodes:
            parent = open_nodes[-1]
            if isinstance(parent, SequenceNode):
                parent.value.append(node)
            elif keys[-1] is None:
                keys[-1] = node
            else:
                parent.value.append((keys[-1], node))
                keys[-1] = None
        if isinstance(node, (SequenceNode, MappingNode)) and not isinstance(event, yaml.AliasEvent):
            open_nodes.append(node)
            keys.append(None)
            if len(open_nodes) > MAX_DEPTH + 1:
                raise _Refused(event, f"nested deeper than {MAX_DEPTH} levels")
        elif not open_nodes:
            root = node
    loader.get_event()  # DocumentEndEvent
    return root


def _compose(text: str, file: str) -> tuple[Node | None, list[Problem]]:
    loader = None
    try:
        loader = _Loader(text)
        loader.get_event()  # StreamStartEvent
        if loader.check_event(yaml.StreamEndEvent):
            return None, [Problem(file, None, "", "file holds no YAML document")]
        root = _document(loader)
        if not loader.check_event(yaml.StreamEndEvent):
            line = loader.peek_event().start_mark.line + 1
            return None, [Problem(file, line, "", "file holds more than one YAML document; a plan is one document")]
    except yaml.reader.ReaderError as error:  # a control character: libyaml's reader reports a byte offset, PyYAML's a character's
        line = text[: max(text.find(chr(error.character)), 0)].count("\n") + 1
        return None, [Problem(file, line, "", f"character U+{error.character:04X} is not allowed in a YAML file (a control character)")]
    except _Refused as refused:
        return None, [Problem(file, refused.event.start_mark.line + 1, "", refused.message)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        return None, [Problem(file, line, "", f"YAML syntax error: {message}")]
    except yaml.YAMLError as error:
        return None, [Problem(file, None, "", f"YAML error: {error}")]
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(root, MappingNode):
        line = root.start_mark.line + 1
        return None, [Problem(file, line, "", "the document must be a mapping (keys such as meta:, targets:, tasks:)")]
    return root, []


@dataclass(frozen=True)
class ParsedYaml:
    data: dict | None
    lines: dict[tuple, int]
    problems: tuple[Problem, ...]


def parse_yaml_mapping(raw: bytes, file: str) -> ParsedYaml:
    """Bytes → plain dict with a line for every path; shared by plans, scenarios and briefings."""
    text, problems = _decode(raw, file)
    if text is None:
        return ParsedYaml(None, {}, tuple(problems))
    root, problems = _compose(text, file)
    if root is None:
        return ParsedYaml(None, {}, tuple(problems))
    builder = _Builder(file)
    try:
        data = builder.build(root)
    except _TooLarge:
        return ParsedYaml(None, {}, (Problem(file, None, "", f"document expands to more than {MAX_NODES:,} values (alias bomb?)"),))
    except RecursionError:
        return ParsedYaml(None, {}, (Problem(file, None, "", "document is nested too deeply or refers to itself"),))
    return ParsedYaml(data, builder.lines, tuple(builder.problems))


def validation_problems(error: ValidationError, lines: dict[tuple, int], file: str) -> list[Problem]:
    return [
        Problem(file, _line_for(lines, item["loc"]), format_path(item["loc"]), _message(item)) for item in error.errors(include_url=False)
    ]


@dataclass(frozen=True)
class Validated(Generic[M]):
    """A typed object read from a file (a plan, a scenario, a briefing), or the problems that stopped it.

    `lines` maps YAML paths to lines, so that checks made after validation can still say where.
    """

    value: M | None
    problems: tuple[Problem, ...]
    lines: dict[tuple, int] = field(default_factory=dict)
    file: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None and not self.problems

    def problem_at(self, path: tuple, message: str) -> Problem:
        return Problem(self.file, _line_for(self.lines, path), format_path(path), message)


def validate_yaml(raw: bytes, file: str, model: type[M]) -> Validated[M]:
    """The one road from bytes to a typed object, shared by plans, scenarios and briefings."""
    parsed = parse_yaml_mapping(raw, file)
    if parsed.data is None:
        return Validated(None, parsed.problems, {}, file)
    try:
        value = model.model_validate(parsed.data)
    except ValidationError as error:
        return Validated(None, parsed.problems + tuple(validation_problems(error, parsed.lines, file)), parsed.lines, file)
    if parsed.problems:
        return Validated(None, parsed.problems, parsed.lines, file)
    return Validated(value, (), parsed.lines, file)


def load_plan_text(raw: bytes, file: str = "plan.yaml") -> Validated[Plan]:
    """Parse and validate plan bytes; never raises for bad input."""
    validated = validate_yaml(raw, file, Plan)
    if validated.value is None:
        return validated
    problems = tuple(validated.problem_at(path, message) for path, message in cross_check(validated.value))
    return Validated(None, problems, validated.lines, file) if problems else validated


def _message(item: dict) -> str:
    if item["type"] == "extra_forbidden":
        return "unknown key (check its spelling)"
    if item["type"] == "missing":
        return "required key is missing"
    received = item.get("input")
    shown = repr(received) if isinstance(received, (str, int, float, bool)) or received is None else type(received).__name__
    return f"{item['msg']} (got {shown[:80]})"


def read_file(path: str | FsPath, max_bytes: int = MAX_BYTES) -> bytes | Problem:
    """A file's bytes, or the problem that stopped reading them: the one place that turns OSError into words."""
    path = FsPath(path)
    try:
        if path.stat().st_size > max_bytes:
            return Problem(path.name, None, "", f"file is larger than {max_bytes:,} bytes")
        return path.read_bytes()
    except OSError as error:
        return Problem(path.name, None, "", f"cannot read file: {error.strerror or error}")


def load_plan_file(path: str | FsPath) -> Validated[Plan]:
    """Read a plan from disk; a missing or unreadable file is a problem, not an exception."""
    raw = read_file(path)
    if isinstance(raw, Problem):
        return Validated(None, (raw,))
    return load_plan_text(raw, FsPath(path).name)
