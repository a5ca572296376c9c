"""Packets of a given length built from one chart: the chart's pages as one block at the start,
in the middle or at the end, the rest filler pages that prove nothing (`synth.padding`).

The packet is one PDF (every document of the chart, in order, then merged with the filler), so
the same evidence sits on page 3 of a 10-page packet and on page 33 of a 70-page one. Pages are
read once per source file (OCR included) and put together in packet order: reading is page by
page, so this is what reading the merged PDF gives, without reading a scanned page once per
packet.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter

from service.config import Settings
from service.models import RecordDocument

POSITIONS = ("start", "middle", "end")
PACKET = "packet.pdf"


@dataclass
class Packet:
    data: bytes
    where: dict[tuple[str, int], int]
    """(chart document, page) -> its page in the packet."""
    order: list[tuple[str, int]]
    """Packet page n (1-based) -> (source, page): a chart document's name, or '' for filler."""


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def build_packet(documents: list[tuple[str, bytes]], filler: bytes, pages: int, position: str) -> Packet:
    """The chart's pages as one block at `position`, filler pages around it up to `pages`."""
    chart = [(name, n) for name, data in documents for n in range(1, page_count(data) + 1)]
    extra = pages - len(chart)
    if extra < 0:
        raise ValueError(f"the chart has {len(chart)} pages, more than {pages}")
    if extra and extra > page_count(filler):
        raise ValueError(f"{extra} filler pages needed, {page_count(filler)} given")
    before = {"start": 0, "middle": extra // 2, "end": extra}[position]
    fill = [("", n) for n in range(1, extra + 1)]
    order = fill[:before] + chart + fill[before:]
    readers = {name: PdfReader(io.BytesIO(data)) for name, data in documents}
    readers[""] = PdfReader(io.BytesIO(filler))
    writer = PdfWriter()
    for source, n in order:
        writer.add_page(readers[source].pages[n - 1])
    out = io.BytesIO()
    writer.write(out)
    where = {item: i for i, item in enumerate(order, 1) if item[0]}
    return Packet(out.getvalue(), where, order)


class PacketReader:
    """A page reader (`Workspace.read`) for packets: each packet's pages are its sources' pages, read once
    through `read` (the eval's cached reader) and renumbered; any other file is read as usual."""

    def __init__(self, read):
        self.read = read
        self.packets: dict[str, tuple[Packet, dict[str, bytes]]] = {}

    def add(self, packet: Packet, sources: dict[str, bytes]) -> None:
        """`sources`: chart document name -> its bytes, and '' -> the filler PDF."""
        self.packets[hashlib.sha256(packet.data).hexdigest()] = (packet, sources)

    def __call__(self, data: bytes, name: str, settings: Settings, progress=None) -> RecordDocument:
        sha = hashlib.sha256(data).hexdigest()
        if sha not in self.packets:
            return self.read(data, name, settings, progress)
        packet, sources = self.packets[sha]
        read = {source: self.read(blob, source or "filler.pdf", settings) for source, blob in sources.items()}
        pages = []
        for number, (source, n) in enumerate(packet.order, 1):
            pages.append(read[source].pages[n - 1].model_copy(update={"document": name, "number": number}))
        return RecordDocument(name=name, sha256=sha, pages=pages)


def moved_gold(gold: dict, where: dict[tuple[str, int], int], name: str = PACKET) -> dict:
    """The generator's gold with every (document, page) moved to its page in the packet."""

    def move(item: dict) -> dict:
        return {**item, "document": name, "page": where[(item["document"], int(item["page"]))]}

    def move_pair(pair: list) -> list:
        return [name, where[(pair[0], int(pair[1]))]]

    out = dict(gold)
    for key in ("key_facts", "excluded_pages", "counter_evidence", "relevant"):
        if key in gold:
            out[key] = [move(item) for item in gold[key]]
    for key in ("evidence_pages", "instruction_pages", "scanned_pages"):
        if key in gold:
            out[key] = [move_pair(pair) for pair in gold[key]]
    return out
