"""Masked display of phone and ID numbers (138****5678; 150902********1234)."""


def mask(value: str, head: int, tail: int) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


def mask_phone(phone: str) -> str:
    return mask(phone, 3, 4)


def mask_id_number(id_number: str) -> str:
    return mask(id_number, 6, 4)


def mask_name(name: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***: lists show the family name only."""
    return mask(name, 1, 0)
