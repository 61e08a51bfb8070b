"""Conversion of a parsed address to the 2025 two-level system."""

from __future__ import annotations

from vnlink.normalize import gazetteer
from vnlink.normalize.address.parse import parse_address
from vnlink.normalize.address.result import Address

__all__ = ["to_2025"]


def to_2025(address: Address | str | None) -> Address:
    """The same place in the two-level system of 1 July 2025 (no districts, 34 provinces).

    A string is parsed first (as a 2021-era address). The province always
    converts; the commune converts only where the commune map is shipped
    (it is not in this version: ``ward_2025`` stays ``""`` and the problem
    ``address:ward_2025_unavailable`` says so).

    Examples
    --------
    >>> new = to_2025("Phường Phú Hòa, Thủ Dầu Một, Bình Dương")
    >>> new.province, new.province_code, new.district, new.era
    ('Thành phố Hồ Chí Minh', '79', '', '2025')
    >>> to_2025("P. Phú Hòa, TP Thủ Dầu Một, BD").problems[-1]
    'address:ward_2025_unavailable'
    """
    if not isinstance(address, Address):
        address = parse_address(address)
    if address.era == "2025":
        return address
    province_new = gazetteer.unit(address.province_2025, era="2025", level="province")
    ward_new = (
        gazetteer.unit(address.ward_2025, era="2025", level="ward") if address.ward_2025 else None
    )
    return Address(
        street=address.street,
        ward=ward_new.full_name if ward_new else "",
        district="",
        province=province_new.full_name if province_new else "",
        ward_code=address.ward_2025,
        district_code="",
        province_code=address.province_2025,
        province_2025=address.province_2025,
        ward_2025=address.ward_2025,
        confidence=address.confidence,
        problems=address.problems,
        era="2025",
    )
