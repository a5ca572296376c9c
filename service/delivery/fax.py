"""Fax adapters, chosen by `OVERTURN_FAX` (none by default: staff fax by hand and record the
confirmation). `http` posts the packet to a fax service's HTTP API and keeps the id it answers.

The adapter sees the packet and the fax number only; what it is sent and answers is never logged.
"""

from dataclasses import dataclass
from typing import Protocol

import httpx

from service.config import Settings
from service.errors import FaxFailedError


class FaxSender(Protocol):
    def send(self, number: str, packet: bytes, reference: str) -> str:
        """Send `packet` (a PDF) to `number`; the service's confirmation id."""
        ...


@dataclass
class HttpFax:
    """A fax API that takes multipart `file` + `to` + `reference` and answers JSON with an `id`."""

    url: str
    token: str = ""
    timeout: float = 30.0

    def send(self, number: str, packet: bytes, reference: str) -> str:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            answer = httpx.post(
                self.url,
                data={"to": number, "reference": reference},
                files={"file": ("packet.pdf", packet, "application/pdf")},
                headers=headers,
                timeout=self.timeout,
            )
        except httpx.HTTPError:
            raise FaxFailedError("the fax service did not answer; the appeal is not marked sent") from None
        if answer.status_code >= 300:
            raise FaxFailedError(f"the fax service refused the packet (HTTP {answer.status_code}); not marked sent")
        try:
            found = answer.json().get("id")
        except ValueError:
            found = None
        if not isinstance(found, str | int) or not str(found).strip():
            raise FaxFailedError("the fax service answered without a confirmation id; not marked sent")
        return str(found)[:100]


def fax_sender(settings: Settings) -> FaxSender | None:
    if settings.fax == "http" and settings.fax_url:
        return HttpFax(settings.fax_url, settings.fax_token.get_secret_value() if settings.fax_token else "")
    return None
