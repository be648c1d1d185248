"""Masks that keep the text readable: 张某某, 2105**********1234, 138****0000.

Each function takes the matched text (already width-folded, so kept digits
come out as ASCII) and returns its replacement. They accept any input, as a
merged span may join text of two kinds.
"""

from __future__ import annotations

import re

from .names_data import COMPOUND_SURNAMES

ADDRESS_MASK = "***"

_DIGITS = re.compile(r"[0-9Xx]")
_CJK_NAME = re.compile(r"[\u3400-\u9fff·•・.]+")


def mask_name(value: str) -> str:
    """张三 → 张某, 王小明 → 王某某, 欧阳修文 → 欧阳某某, 买买提·艾力 → 买某某."""
    core = "".join(value.split())
    if not core:
        return value
    if not _CJK_NAME.fullmatch(core):
        return core[0] + "***"  # a name in Latin letters: its initial
    if any(c in core for c in "·•・."):
        return core[0] + "某某"
    surname = core[:2] if core[:2] in COMPOUND_SURNAMES and len(core) > 2 else core[0]
    return surname + "某" * max(len(core) - len(surname), 1)


def mask_id_number(value: str) -> str:
    """Keep the first 4 and the last 4 characters: 2105**********1234."""
    chars = _DIGITS.findall(value)
    if len(chars) <= 8:
        return "*" * len(chars or value)
    return "".join(chars[:4]) + "*" * (len(chars) - 8) + "".join(chars[-4:]).upper()


_MOBILE = re.compile(r"^(?:(?:00)?(86))?(1[3-9][0-9])([0-9]{4})([0-9]{4})$")


def mask_phone(value: str) -> str:
    """138****0000, +86 138****0000; other numbers keep an area code and the last 2 digits.

    The landline detector builds its own mask (it knows where the area code
    and the extension are); this is the general form.
    """
    digits = re.sub(r"[^0-9]", "", value)
    mobile = _MOBILE.match(digits)
    if mobile:
        prefix = "+86 " if mobile.group(1) else ""
        return f"{prefix}{mobile.group(2)}****{mobile.group(4)}"
    if len(digits) < 5:
        return "*" * max(len(digits), 1)
    if digits.startswith("0") and 10 <= len(digits) <= 12:
        area = 3 if digits[1] in "12" else 4
        return f"{digits[:area]}-{'*' * (len(digits) - area - 2)}{digits[-2:]}"
    return "*" * (len(digits) - 2) + digits[-2:]


def mask_bank_account(value: str) -> str:
    """Only the last 4 digits: ****1234."""
    digits = re.sub(r"[^0-9]", "", value)
    return "****" + digits[-4:] if len(digits) > 8 else "*" * max(len(digits), 4)


def mask_email(value: str) -> str:
    """a***@example.com: the first character of the local part and the domain."""
    local, at, domain = value.partition("@")
    if not at or not local:
        return "***"
    return f"{local[0]}***@{domain}"


def mask_address(value: str) -> str:
    """The span of an address is only the part below the town: it becomes ***."""
    return ADDRESS_MASK


MASKS = {
    "name": mask_name,
    "id_number": mask_id_number,
    "phone": mask_phone,
    "bank_account": mask_bank_account,
    "email": mask_email,
    "address": mask_address,
}


def mask(kind: str, value: str) -> str:
    """The replacement for `value` of `kind` (one of types.KINDS)."""
    return MASKS[kind](value)
