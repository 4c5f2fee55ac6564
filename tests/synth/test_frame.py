"""The registry draws agree with the shared vocabulary's mappings (docs/dev/vocabulary.md)."""

from __future__ import annotations

import pytest

from barometre.synth import mixes

# The vocabulary's NAF rev. 2 -> sector rule, restated by section letter of each division.
_SECTION_OF_DIVISION = {
    **dict.fromkeys(range(1, 4), "A"),
    **dict.fromkeys(range(5, 10), "B"),
    **dict.fromkeys(range(10, 34), "C"),
    35: "D",
    **dict.fromkeys(range(36, 40), "E"),
    **dict.fromkeys(range(41, 44), "F"),
    **dict.fromkeys(range(45, 48), "G"),
    **dict.fromkeys(range(49, 54), "H"),
    **dict.fromkeys(range(55, 57), "I"),
    **dict.fromkeys(range(58, 64), "J"),
    **dict.fromkeys(range(64, 67), "K"),
    68: "L",
    **dict.fromkeys(range(69, 76), "M"),
    **dict.fromkeys(range(77, 83), "N"),
    84: "O",
    85: "P",
    **dict.fromkeys(range(86, 89), "Q"),
    **dict.fromkeys(range(90, 94), "R"),
    **dict.fromkeys(range(94, 97), "S"),
}
_SECTOR_OF_SECTION = {
    **dict.fromkeys("BCDE", "industrie"),
    "F": "construction",
    "G": "commerce",
    "H": "transport",
    **dict.fromkeys("IR", "tourisme_loisirs"),
    **dict.fromkeys("JLMNPQS", "services"),
}
_REGION_OF_DEPARTMENT = {
    **dict.fromkeys(["75", "77", "78", "91", "92", "93", "94", "95"], "11"),
    **dict.fromkeys(["18", "28", "36", "37", "41", "45"], "24"),
    **dict.fromkeys(["21", "25", "39", "58", "70", "71", "89", "90"], "27"),
    **dict.fromkeys(["14", "27", "50", "61", "76"], "28"),
    **dict.fromkeys(["02", "59", "60", "62", "80"], "32"),
    **dict.fromkeys(["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"], "44"),
    **dict.fromkeys(["44", "49", "53", "72", "85"], "52"),
    **dict.fromkeys(["22", "29", "35", "56"], "53"),
    **dict.fromkeys(["16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"], "75"),
    **dict.fromkeys(
        ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"], "76"
    ),
    **dict.fromkeys(["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"], "84"),
    **dict.fromkeys(["04", "05", "06", "13", "83", "84"], "93"),
    **dict.fromkeys(["2A", "2B"], "94"),
    **dict.fromkeys(["971", "972", "973", "974", "976"], "outre_mer"),
}


def _sector(naf: str) -> str | None:
    division = int(naf[:2])
    if 10 <= division <= 12:
        return "agroalimentaire"
    return _SECTOR_OF_SECTION.get(_SECTION_OF_DIVISION[division])


@pytest.mark.parametrize("sector", mixes.SECTORS)
def test_naf_codes_map_to_their_sector(sector: str) -> None:
    """Every NAF code drawn for a sector maps back to it by the vocabulary's rule."""
    for naf, _ in mixes.NAF_BY_SECTOR[sector]:
        assert _sector(naf) == sector, naf


def test_excluded_codes_are_out_of_scope() -> None:
    """The out-of-scope activity codes are agriculture, finance (holdings) or administration."""
    for naf, _ in mixes.NAF_EXCLUDED:
        assert _SECTION_OF_DIVISION[int(naf[:2])] in {"A", "K", "O"}, naf
    assert "64.20Z" in dict(mixes.NAF_EXCLUDED)


def test_communes_lie_in_their_region() -> None:
    """Each commune's department (from its INSEE code) belongs to the region it is drawn for."""
    for region, communes in mixes.COMMUNES.items():
        for code, postal, _ in communes:
            department = code[:3] if code.startswith("97") else code[:2]
            assert _REGION_OF_DEPARTMENT[department] == region, code
            assert len(postal) == 5 and len(code) == 5


def test_tranches_map_to_their_band() -> None:
    """Headcount codes drawn within a band map back to it (vocabulary's table)."""
    band_of = {
        **dict.fromkeys(["NN", "00", "01", "02", "03"], "0-9"),
        "11": "10-19",
        "12": "20-49",
        **dict.fromkeys(["21", "22", "31"], "50-249"),  # INSEE 31 = 200-249 employees
        **dict.fromkeys(["32", "41", "42", "51", "52", "53"], "250+"),
    }
    for band, table in mixes.TRANCHES_BY_BAND.items():
        assert all(band_of[code] == band for code, _ in table)


def test_shares_cover_every_code() -> None:
    """Each mix has a share for every code of its dimension and sums to 100 %."""
    assert set(mixes.SECTOR_SHARES) == set(mixes.SECTORS)
    assert set(mixes.REGION_SHARES) == set(mixes.REGIONS) == set(mixes.COMMUNES)
    assert sum(mixes.SECTOR_SHARES.values()) == pytest.approx(100)
    assert sum(mixes.REGION_SHARES.values()) == pytest.approx(100)
    assert sum(mixes.SCOPE_MIX.values()) == pytest.approx(100)
    for table in (*mixes.SIZE_BY_SECTOR.values(), *mixes.MARKET_BY_SECTOR.values()):
        assert sum(table) == pytest.approx(100)
