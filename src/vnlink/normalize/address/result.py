"""The parsed address."""

from __future__ import annotations

from dataclasses import dataclass

from vnlink.normalize import gazetteer

__all__ = ["Address", "format_address"]


@dataclass(frozen=True, slots=True)
class Address:
    """A parsed address: the units as written, with their codes, and the 2025 equivalents.

    Attributes
    ----------
    street : str
        The text left of the commune (house number, alley, street, hamlet),
        folded to lower-case ASCII with abbreviations expanded.
    ward, district, province : str
        Official full names ("Phường 13", "Quận 3", "Thành phố Hồ Chí Minh"), ``""`` if unknown.
    ward_code, district_code, province_code : str
        NSO codes of ``era`` (5, 3 and 2 digits), ``""`` if unknown. A 2025 address
        has no district, unless one of 2021 was written with it (a mixture: then
        ``district_code`` is that 2021 district and ``address:era_mixed`` says so).
    province_2025, ward_2025 : str
        Codes of the same place in the 2025 two-level system (``""`` if unknown). A
        2021 commune split between several 2025 ones has no single ``ward_2025``:
        see ``ward_2025_candidates`` and the problem ``address:ward_2025_split``.
    confidence : float
        0..1, how sure the returned codes are right (0 when nothing was found).
    problems : tuple of str
        Problem codes ``address:<reason>``.
    era : str
        Which form the address was written in, and so the era of ``ward_code``,
        ``district_code``, ``province_code``: ``"2021"`` (three levels, 63
        provinces) or ``"2025"`` (two levels, 34 provinces); ``""`` when empty.
    ward_2025_candidates : tuple of str
        The 2025 communes a split 2021 commune went into (codes), ``()`` otherwise.

    Examples
    --------
    >>> from vnlink.normalize.address import parse_address
    >>> a = parse_address("Phường Cống Vị, Ba Đình, Hà Nội")  # split in two in 2025
    >>> a.ward_2025, a.ward_2025_candidates, a.problems
    ('', ('00008', '00025'), ('address:ward_2025_split',))
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
    era: str = ""
    ward_2025_candidates: tuple[str, ...] = ()

    @property
    def ward_2025_name(self) -> str:
        """Official full name of :attr:`ward_2025` ("Phường Sài Gòn"), ``""`` if unknown.

        >>> from vnlink.normalize.address import parse_address
        >>> a = parse_address("P. Bến Nghé, Q.1, TP.HCM")
        >>> a.ward, a.ward_2025_name, a.province_2025_name
        ('Phường Bến Nghé', 'Phường Sài Gòn', 'Thành phố Hồ Chí Minh')
        """
        unit = gazetteer.unit(self.ward_2025, era="2025", level="ward")
        return unit.full_name if unit else ""

    @property
    def province_2025_name(self) -> str:
        """Official full name of :attr:`province_2025`, ``""`` if unknown."""
        unit = gazetteer.unit(self.province_2025, era="2025", level="province")
        return unit.full_name if unit else ""

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

    An address of the 2025 form is written in two levels (a 2021 district typed
    with it is left out).

    Examples
    --------
    >>> from vnlink.normalize.address import parse_address
    >>> format_address(parse_address("so 5 ngo 12 pho Hue, P. Pho Hue, Q. Hai Ba Trung, HN"))
    'so 5 ngo 12 pho hue, Phường Phố Huế, Quận Hai Bà Trưng, Thành phố Hà Nội'
    """
    district = address.district if address.era != "2025" else ""  # two levels since 2025
    parts = (address.street, address.ward, district, address.province)
    return ", ".join(p for p in parts if p)
