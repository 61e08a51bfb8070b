"""The words of every reason code, in Vietnamese (for clerks) and English.

A reason code is a stable English identifier for programs (``name_typo``);
:data:`REASON_TEXTS` gives its text per locale, in the order reasons are
listed in a result row. Comparison levels carry these codes
(:attr:`vnlink.compare.levels.Level.reason`). Generic comparisons on the
caller's own columns use ``<name>_different`` and ``<name>_similar``, whose
texts come from the templates in :data:`REASON_TEMPLATES`.

Examples
--------
>>> REASON_TEXTS["dob_day_month_swapped"]["vi"]
'ngày sinh: ngày/tháng bị đảo'
>>> reason_text("name_reordered", "en")
'name parts in another order'
>>> reason_text("postcode_different", "en")
'postcode differs'
"""

from __future__ import annotations

from vnlink.exceptions import ConfigurationError

__all__ = ["LOCALES", "REASON_TEMPLATES", "REASON_TEXTS", "declare_reasons", "reason_text"]

#: The locales every reason has a text in.
LOCALES = ("vi", "en")

#: code -> {"vi": ..., "en": ...}, in the order reasons are listed in a result row.
REASON_TEXTS: dict[str, dict[str, str]] = {
    # decisions
    "no_usable_fields": {
        "vi": "bản ghi không có thông tin dùng được (tên, ngày sinh, số giấy tờ trống/sai)",
        "en": "the record has nothing usable (name, date of birth, ID number empty or invalid)",
    },
    "no_candidates": {
        "vi": "không tìm thấy người nào gần giống trong CSDL dân cư",
        "en": "no similar person found in the population registry",
    },
    "blocking_capped": {
        "vi": "một số ứng viên không được so sánh: giá trị khóa (SĐT, CCCD, tên + ngày sinh) "
              "trùng với quá nhiều người trong CSDL",
        "en": "some candidates were not compared: a key value (phone, ID, name + date of "
              "birth) is shared by too many registry people",
    },
    "low_score": {
        "vi": "điểm khớp chưa đủ cao để tự động liên kết",
        "en": "the match score is too low to link automatically",
    },
    "ambiguous": {
        "vi": "hai người gần bằng điểm (sinh đôi, cha/con trùng tên?): cần người kiểm tra",
        "en": "two people score almost the same (twins, a parent and child of one name?): "
        "needs a person to check",
    },
    "identity_conflict": {
        "vi": "giấy tờ/điện thoại khớp nhưng họ tên và ngày sinh đều khác "
        "(dùng giấy tờ người thân?)",
        "en": "the ID number or phone agrees but both name and date of birth differ "
        "(a relative's document?)",
    },
    "other_person": {
        "vi": "ngày sinh khác và họ tên khác (hoặc năm sinh trong CCCD cũng khác): "
        "người khác, có thể là người thân",
        "en": "the date of birth and the name differ (or the CCCD's birth year too): "
        "another person, perhaps a relative",
    },
    # identity documents
    "id_household_member": {
        "vi": "số CCCD của một người cùng hộ (người thân)",
        "en": "the CCCD of another member of the household (a relative's)",
    },
    "id_one_digit": {"vi": "số CCCD sai 1 chữ số", "en": "ID number one digit off"},
    "id_transposed": {
        "vi": "số CCCD đảo 2 chữ số liền nhau",
        "en": "two adjacent digits of the ID number swapped",
    },
    "id_old_cmnd": {
        "vi": "dùng số CMND cũ (9 số) thay cho CCCD",
        "en": "the old 9-digit CMND given instead of the CCCD",
    },
    "id_different": {"vi": "số giấy tờ khác", "en": "another ID number"},
    "id_missing": {"vi": "thiếu số CCCD", "en": "no comparable ID number"},
    "id_birth_year_conflict": {
        "vi": "năm sinh trong CCCD khác ngày sinh",
        "en": "the birth year encoded in the CCCD differs from the date of birth",
    },
    "id_sex_conflict": {
        "vi": "giới tính trong CCCD khác giới tính khai báo",
        "en": "the sex encoded in the CCCD differs from the sex given",
    },
    "id_cccd_conflict": {
        "vi": "năm sinh hoặc giới tính mã hoá trong CCCD khác thông tin khai báo",
        "en": "the birth year or sex encoded in the CCCD contradicts the record",
    },
    # names
    "name_no_diacritics": {"vi": "họ tên gõ không dấu", "en": "name typed without diacritics"},
    "middle_name_missing": {"vi": "thiếu tên đệm", "en": "middle name missing"},
    "name_typo": {"vi": "họ tên gõ sai chính tả", "en": "name misspelt"},
    "name_reordered": {
        "vi": "họ tên viết sai thứ tự",
        "en": "name parts in another order",
    },
    "middle_name_different": {"vi": "tên đệm khác", "en": "another middle name"},
    "name_given_only": {
        "vi": "chỉ trùng tên, họ khác",
        "en": "only the given name agrees; the family name differs",
    },
    "name_different": {"vi": "họ tên khác", "en": "another name"},
    "name_missing": {"vi": "thiếu họ tên", "en": "name missing"},
    # date of birth
    "dob_day_month_swapped": {
        "vi": "ngày sinh: ngày/tháng bị đảo",
        "en": "date of birth: day and month swapped",
    },
    "dob_days_off": {
        "vi": "ngày sinh lệch vài ngày",
        "en": "date of birth a few days off",
    },
    "dob_day_different": {
        "vi": "ngày sinh khác (cùng tháng, năm)",
        "en": "another day of birth in the same month and year",
    },
    "dob_one_digit": {
        "vi": "ngày sinh sai 1 chữ số",
        "en": "date of birth one digit off",
    },
    "dob_year_different": {"vi": "năm sinh khác", "en": "another year of birth"},
    "dob_year_only": {"vi": "chỉ có năm sinh", "en": "only the year of birth is known"},
    "dob_missing": {"vi": "thiếu ngày sinh", "en": "date of birth missing"},
    "dob_different": {"vi": "ngày sinh khác", "en": "another date of birth"},
    # other fields
    "sex_different": {"vi": "giới tính khác", "en": "another sex"},
    "phone_household_member": {
        "vi": "số điện thoại của một người cùng hộ (người thân)",
        "en": "the phone of another member of the household (a relative's)",
    },
    "phone_one_digit": {
        "vi": "số điện thoại sai 1 chữ số hoặc đảo 2 chữ số",
        "en": "phone number one digit off or two digits swapped",
    },
    "phone_different": {"vi": "số điện thoại khác", "en": "another phone number"},
    "address_old_units": {
        "vi": "địa chỉ cũ (trước 2025)",
        "en": "address in the units before the 2025 reform",
    },
    "address_same_district": {
        "vi": "địa chỉ khác xã/phường (cùng quận/huyện hoặc cùng xã/phường sau sáp nhập)",
        "en": "another commune of the same district, or communes merged in 2025",
    },
    "address_same_province": {
        "vi": "địa chỉ chỉ trùng tỉnh/thành phố",
        "en": "the address agrees on the province only",
    },
    "address_different": {"vi": "địa chỉ khác", "en": "another address"},
    "street_similar": {"vi": "số nhà, đường gần giống", "en": "similar street address"},
    "street_different": {"vi": "số nhà, đường khác", "en": "another street address"},
}

#: Texts of ``<field>_<suffix>`` codes not listed in :data:`REASON_TEXTS` (generic comparisons).
REASON_TEMPLATES: dict[str, dict[str, str]] = {
    "different": {"vi": "{field} khác", "en": "{field} differs"},
    "similar": {"vi": "{field} gần giống", "en": "{field} similar"},
    "missing": {"vi": "thiếu {field}", "en": "{field} missing"},
}


_DECLARED: dict[str, dict[str, str]] = {}


def declare_reasons(texts: dict[str, dict[str, str]]) -> None:
    """Add the texts of reason codes of your own (a field's, a comparison's).

    >>> declare_reasons({"bhyt_expired": {"vi": "thẻ BHYT hết hạn", "en": "BHYT card expired"}})
    >>> reason_text("bhyt_expired", "en")
    'BHYT card expired'
    """
    for code, by_locale in texts.items():
        if not isinstance(code, str) or not isinstance(by_locale, dict):
            raise ConfigurationError("reasons are declared as {code: {locale: text}}")
        if code in REASON_TEXTS:
            raise ConfigurationError(f"{code!r} is a vnlink reason code; pick another code")
        _DECLARED[code] = {str(k): str(v) for k, v in by_locale.items()}


def reason_text(code: str, locale: str = "vi") -> str:
    """The text of a reason code in ``locale`` (``"vi"`` or ``"en"``).

    Codes of :data:`REASON_TEXTS` first; then ``<field>_different``,
    ``<field>_similar`` and ``<field>_missing`` from :data:`REASON_TEMPLATES`;
    an unknown code is returned as it is.

    >>> reason_text("name_typo"), reason_text("name_typo", "en")
    ('họ tên gõ sai chính tả', 'name misspelt')
    >>> reason_text("given_similar")
    'given gần giống'
    """
    if locale not in LOCALES:
        raise ConfigurationError(
            f"locale must be one of {', '.join(LOCALES)}, got {locale!r}"
        )
    known = REASON_TEXTS.get(code) or _DECLARED.get(code)
    if known is not None:
        return known.get(locale) or known.get("en") or code
    field, _, suffix = code.rpartition("_")
    template = REASON_TEMPLATES.get(suffix)
    if field and template is not None:
        return template[locale].format(field=field)
    return code
