"""Web addresses as the register stores them: normalised host names (SPEC sections 6 and 15).

``"https://WWW.Steppe-Exchange.kz:443/about?x"`` and ``"steppe-exchange.kz"`` name the same site, so
both are stored as ``steppe-exchange.kz``: lower case, internationalised names in their ASCII
(IDNA 2008, UTS #46) form, no scheme, user, port, path, trailing dot or leading ``www.``.
"""

from __future__ import annotations

import re

import idna  # IDNA 2008 with UTS #46 mapping; the standard library's codec is IDNA 2003
from django.utils.translation import gettext as _

__all__ = ["InvalidHost", "display_host", "normalise_host", "normalise_hosts", "split_hosts"]

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(//)?", re.IGNORECASE)
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TLD = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
# Separators people put between several addresses in one field; regulators' files also use " I ".
_SEPARATORS = re.compile(r"[\s,;|]+")
_WORD_SEPARATORS = {"I"}
# A scheme mangled by hand: "https.//", "ttps://", "hxxps://" (defanged), "https:/", "//".
_BROKEN_SCHEME = re.compile(r"^(?:h?[tx]{0,2}ps?)?[:.;,]*/{1,3}", re.IGNORECASE)
# Defanged dots, as in "example[.]com".
_DEFANGED_DOT = re.compile(r"\[\.\]|\(\.\)|\{\.\}")


class InvalidHost(ValueError):
    """The text is not a web address that a host name can be read from; ``str()`` says why."""


def normalise_host(value: str) -> str:
    """The host name of ``value`` in its stored form, or ``InvalidHost`` naming what is wrong."""
    text = (value or "").strip().replace("\u00a0", "").replace("\u200b", "")
    if not text:
        raise InvalidHost(_("enter a web address, e.g. example.kz"))
    text = _DEFANGED_DOT.sub(".", text)
    text = _SCHEME.sub("", text) if "://" in text or text.lower().startswith(("http:", "https:")) else text
    text = _BROKEN_SCHEME.sub("", text)
    text = re.split(r"[/?#\\]", text, maxsplit=1)[0]
    text = text.rsplit("@", 1)[-1]
    if text.startswith("["):
        raise InvalidHost(_("an IP address is not accepted: enter the site's name, e.g. example.kz"))
    text = text.split(":", 1)[0].rstrip(".")
    try:
        host = idna.encode(text, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        raise InvalidHost(_("this is not a valid web address; check it for spaces or characters such as _")) from None
    host = host.lower()
    while host.startswith("www.") and host.count(".") >= 2:
        host = host[4:]
    labels = host.split(".")
    if len(labels) < 2 or len(host) > 253:
        raise InvalidHost(_("a web address needs a dot and an ending such as .kz, e.g. example.kz"))
    if not all(_LABEL.match(label) for label in labels):
        raise InvalidHost(_("a web address has only letters, digits, hyphens and dots"))
    if labels[-1].isdigit() or not _TLD.match(labels[-1]):
        raise InvalidHost(_("the ending of the web address (such as .kz) is not valid"))
    return host


def split_hosts(text: str) -> list[str]:
    """The pieces of a field holding several addresses (one per line, or separated by , ; | spaces or " I ")."""
    return [piece for piece in _SEPARATORS.split(text or "") if piece and piece not in _WORD_SEPARATORS]


def normalise_hosts(values) -> list[str]:
    """Each value normalised, duplicates dropped, order kept; ``InvalidHost`` on the first bad one.

    The error message starts with the offending value so a form can show which one to correct.
    """
    hosts: list[str] = []
    for value in values:
        try:
            host = normalise_host(value)
        except InvalidHost as error:
            raise InvalidHost(f"{value.strip()}: {error}") from None
        if host not in hosts:
            hosts.append(host)
    return hosts


def display_host(host: str) -> str:
    """A stored host as people read it: ``xn--80ao21a`` labels back in their own script."""
    try:
        return idna.decode(host)
    except (idna.IDNAError, UnicodeError):
        return host
