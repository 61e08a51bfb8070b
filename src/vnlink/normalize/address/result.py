"""The parsed address."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Address", "format_address"]


@dataclass(frozen=True, slots=True)
class Address:
    """A parsed address: units of the 2021 era with their codes, and the 2025 equivalents.

    Attributes
    ----------
    street : str
        The text left of the commune (house number, alley, street, hamlet),
        folded to lower-case ASCII with abbreviations expanded.
    ward, district, province : str
        Official full names ("Phường 13", "Quận 3", "Thành phố Hồ Chí Minh"), ``""`` if unknown.
    ward_code, district_code, province_code : str
        NSO codes of the parse era (5, 3 and 2 digits), ``""`` if unknown.
    province_2025, ward_2025 : str
        Codes of the same place in the 2025 two-level system (``""`` if unknown).
    confidence : float
        0..1, how sure the returned codes are right (0 when nothing was found).
    problems : tuple of str
        Problem codes ``address:<reason>``.
    era : str
        The era of ``ward_code``/``district_code``/``province_code``.
    """

    street: str = ""
    ward: str = ""
    district: str = ""
    province: str = ""
    ward_code: str = ""
    district_code: str = ""
    province_code: str = ""
    province_2025: str = ""
    ward_2025: str = ""
    confidence: float = 0.0
    problems: tuple[str, ...] = ()
    era: str = "2021"

    @property
    def canonical(self) -> str:
        """The address written out again: street, then the official unit names.

        >>> from vnlink.normalize.address import parse_address
        >>> parse_address("p bến nghé q1 tphcm").canonical
        'Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh'
        """
        return format_address(self)


def format_address(address: Address) -> str:
    """``street, ward, district, province`` with the units' official names; empty parts left out.

    Examples
    --------
    >>> from vnlink.normalize.address import parse_address
    >>> format_address(parse_address("so 5 ngo 12 pho Hue, P. Pho Hue, Q. Hai Ba Trung, HN"))
    'so 5 ngo 12 pho hue, Phường Phố Huế, Quận Hai Bà Trưng, Thành phố Hà Nội'
    """
    parts = (address.street, address.ward, address.district, address.province)
    return ", ".join(p for p in parts if p)
