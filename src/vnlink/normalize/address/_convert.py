"""Conversion of a parsed address to the 2025 two-level system."""

from __future__ import annotations

from vnlink.normalize import gazetteer
from vnlink.normalize.address._parse import parse_address
from vnlink.normalize.address.result import Address

__all__ = ["to_2025"]


def to_2025(address: Address | str | None) -> Address:
    """The same place in the two-level system of 1 July 2025 (no districts, 34 provinces).

    A string is parsed first (either form). An address already in the 2025 form is
    returned as it is. Else the province always converts; the commune converts
    through the commune-level map: a commune merged whole becomes its new commune;
    a commune split between several keeps them in ``ward_2025_candidates`` with the
    problem ``address:ward_2025_split`` and no ``ward_2025`` (no single guess).

    Examples
    --------
    >>> new = to_2025("Phường Phú Hòa, Thủ Dầu Một, Bình Dương")
    >>> new.ward, new.province, new.ward_code, new.province_code, new.district, new.era
    ('Phường Phú Lợi', 'Thành phố Hồ Chí Minh', '25750', '79', '', '2025')
    >>> split = to_2025("P. Cống Vị, Q. Ba Đình, Hà Nội")
    >>> split.ward, split.ward_2025_candidates, split.problems
    ('', ('00008', '00025'), ('address:ward_2025_split',))
    """
    if not isinstance(address, Address):
        address = parse_address(address)
    if address.era == "2025":
        return address
    province_new = gazetteer.unit(address.province_2025, era="2025", level="province")
    ward_new = gazetteer.unit(address.ward_2025, era="2025", level="ward")
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
        ward_2025_candidates=address.ward_2025_candidates,
    )
