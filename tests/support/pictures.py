"""Reading the course's pictures back: HTML parsed into lanes, frame boxes and byte cells.

The tests of ``framinglib.visual`` assert what a reader would see (which bytes
are in a lane, which are headers, under which frame), not how the markup is
spelled; these helpers turn the markup into those things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["Cell", "Node", "cells", "completed", "frame_groups", "parse", "parse_lanes"]

_VOID = {"br", "hr", "img", "input", "meta", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, predicate) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if predicate(child):
                    found.append(child)
                found.extend(child.find_all(predicate))
        return found

    def with_class(self, name: str) -> list[Node]:
        return self.find_all(lambda node: name in node.classes)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        if self.stack[-1].tag != "style":
            self.stack[-1].children.append(data)


def parse(markup: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    assert builder.stack == [builder.root], "unclosed tags"
    return builder.root


def parse_lanes(markup: str) -> dict[str, Node]:
    """The lanes of a picture, by name (the start of their aria-label)."""
    lanes = {}
    for lane in parse(markup).with_class("fcv-lane"):
        lanes[lane.attrs["aria-label"].split(":")[0]] = lane
    return lanes


@dataclass
class Cell:
    text: str
    role: str  # header / payload / unknown / missing
    frame: int | None  # from 1, as captioned
    position: int | None
    new: bool


def cells(node: Node) -> list[Cell]:
    found = []
    for span in node.with_class("fcv-b"):
        classes = span.classes
        role = ("missing" if "fcv-miss" in classes else "header" if "fcv-h" in classes
                else "payload" if "fcv-p" in classes else "unknown")
        title = span.attrs.get("title", "")
        position = re.search(r"byte (\d+) of the stream", title)
        frame = re.search(r"of frame (\d+)", title)
        found.append(Cell(span.text(), role, int(frame[1]) if frame else None,
                          int(position[1]) if position else None, "fcv-new" in classes))
    return found


def frame_groups(node: Node) -> list[tuple[str, list[str]]]:
    """Each frame box of a lane: its caption and the texts of its byte cells."""
    groups = []
    for box in node.with_class("fcv-frame"):
        caption = box.with_class("fcv-cap")[0].text()
        groups.append((caption, [cell.text for cell in cells(box) if cell.role != "missing"]))
    return groups


def completed(node: Node) -> list[str]:
    return [chip.with_class("fcv-txt")[0].text() for chip in node.with_class("fcv-done")]
