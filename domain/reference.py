"""Reference data: municipalities, communities and every other code list.

This is the one place these codes are defined; everything else reads them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from domain.errors import UnknownMunicipality


@dataclass(frozen=True)
class Municipality:
    """One of Kosovo's 38 municipalities, with its name in each language."""

    code: str
    sq: str
    sr_latn: str
    sr_cyrl: str
    en: str

    @property
    def names(self) -> tuple[str, ...]:
        """Its code and every official name (Albanian, Serbian both ways, English)."""
        return (self.code, self.sq, self.sr_latn, self.sr_cyrl, self.en)

    def name(self, language: str) -> str:
        """Return the name in `language` (sq, sr, sr-Latn, sr-Cyrl, en)."""
        # Locale tags arrive both as "sr-Latn" (HTTP, BCP 47) and "sr_Latn" (Babel).
        match language.replace("_", "-"):
            case "sq":
                return self.sq
            case "sr" | "sr-Latn":
                return self.sr_latn
            case "sr-Cyrl":
                return self.sr_cyrl
            case _:
                return self.en


# Names are stored per language and never transliterated from one another:
# Albanian and Serbian names often differ entirely (Ferizaj/Uroševac).
MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality("DEC", "Deçan", "Dečane", "Дечане", "Deçan"),
    Municipality("DRA", "Dragash", "Dragaš", "Драгаш", "Dragash"),
    Municipality("DRE", "Drenas", "Glogovac", "Глоговац", "Drenas"),
    Municipality("FER", "Ferizaj", "Uroševac", "Урошевац", "Ferizaj"),
    Municipality("FKO", "Fushë Kosovë", "Kosovo Polje", "Косово Поље", "Fushë Kosova"),
    Municipality("GJA", "Gjakovë", "Đakovica", "Ђаковица", "Gjakova"),
    Municipality("GJI", "Gjilan", "Gnjilane", "Гњилане", "Gjilan"),
    Municipality("GRA", "Graçanicë", "Gračanica", "Грачаница", "Gračanica"),
    Municipality("HEL", "Hani i Elezit", "Elez Han", "Елез Хан", "Hani i Elezit"),
    Municipality("IST", "Istog", "Istok", "Исток", "Istog"),
    Municipality("JUN", "Junik", "Junik", "Јуник", "Junik"),
    Municipality("KAC", "Kaçanik", "Kačanik", "Качаник", "Kaçanik"),
    Municipality("KAM", "Kamenicë", "Kamenica", "Каменица", "Kamenica"),
    Municipality("KLI", "Klinë", "Klina", "Клина", "Klina"),
    Municipality("KLO", "Kllokot", "Klokot", "Клокот", "Klokot"),
    Municipality("LEP", "Leposaviq", "Leposavić", "Лепосавић", "Leposavić"),
    Municipality("LIP", "Lipjan", "Lipljan", "Липљан", "Lipjan"),
    Municipality("MAL", "Malishevë", "Mališevo", "Малишево", "Malisheva"),
    Municipality("MAM", "Mamushë", "Mamuša", "Мамуша", "Mamusha"),
    Municipality(
        "MIN",
        "Mitrovicë e Veriut",
        "Severna Mitrovica",
        "Северна Митровица",
        "North Mitrovica",
    ),
    Municipality(
        "MIS",
        "Mitrovicë e Jugut",
        "Južna Mitrovica",
        "Јужна Митровица",
        "South Mitrovica",
    ),
    Municipality("NBR", "Novobërdë", "Novo Brdo", "Ново Брдо", "Novo Brdo"),
    Municipality("OBI", "Obiliq", "Obilić", "Обилић", "Obiliq"),
    Municipality("PAR", "Partesh", "Parteš", "Партеш", "Partesh"),
    Municipality("PEJ", "Pejë", "Peć", "Пећ", "Peja"),
    Municipality("POD", "Podujevë", "Podujevo", "Подујево", "Podujevo"),
    Municipality("PRI", "Prishtinë", "Priština", "Приштина", "Pristina"),
    Municipality("PRZ", "Prizren", "Prizren", "Призрен", "Prizren"),
    Municipality("RAH", "Rahovec", "Orahovac", "Ораховац", "Rahovec"),
    Municipality("RAN", "Ranillug", "Ranilug", "Ранилуг", "Ranilug"),
    Municipality("SHT", "Shtime", "Štimlje", "Штимље", "Shtime"),
    Municipality("SKE", "Skenderaj", "Srbica", "Србица", "Skenderaj"),
    Municipality("STR", "Shtërpcë", "Štrpce", "Штрпце", "Štrpce"),
    Municipality("SUH", "Suharekë", "Suva Reka", "Сува Река", "Suva Reka"),
    Municipality("VIT", "Viti", "Vitina", "Витина", "Viti"),
    Municipality("VUS", "Vushtrri", "Vučitrn", "Вучитрн", "Vushtrri"),
    Municipality("ZUB", "Zubin Potok", "Zubin Potok", "Зубин Поток", "Zubin Potok"),
    Municipality("ZVE", "Zveçan", "Zvečan", "Звечан", "Zvečan"),
)

MUNICIPALITIES_BY_CODE: Mapping[str, Municipality] = MappingProxyType(
    {m.code: m for m in MUNICIPALITIES}
)


def folded(name: str) -> str:
    """A name without capitals, diacritics or extra spaces (Gracanice, GRAČANICA)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().replace("đ", "dj"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


_BY_NAME: Mapping[str, Municipality] = MappingProxyType(
    {folded(name): m for m in MUNICIPALITIES for name in m.names}
)


def municipality_named(name: str) -> Municipality:
    """The municipality with this code or official name, however it is written."""
    try:
        return _BY_NAME[folded(name)]
    except KeyError:
        raise UnknownMunicipality(
            f"{name!r} is not a municipality", field="municipality"
        ) from None


def municipality(code: str) -> Municipality:
    """Return the municipality with this code, or raise UnknownMunicipality."""
    try:
        return MUNICIPALITIES_BY_CODE[code]
    except KeyError:
        raise UnknownMunicipality(
            f"{code!r} is not a municipality code", field="municipality"
        ) from None


COMMUNITIES: tuple[str, ...] = (
    "albanian",
    "serb",
    "bosniak",
    "turkish",
    "roma",
    "ashkali",
    "egyptian",
    "gorani",
    "croat",
    "montenegrin",
    "other",
)

CATEGORIES: tuple[str, ...] = (
    "community_rights",
    "environment",
    "domestic_violence",
    "gender_equality",
    "rule_of_law",
    "economy_employment",
    "infrastructure",
    "public_services",
    "safety_crime",
    "natural_hazards",
    "youth_emigration",
    "organized_crime",
    "violent_extremism",
    "culture_language",
    "property",
    "other",
)

INSTITUTION_KINDS: tuple[str, ...] = (
    "mayor",
    "municipal_assembly",
    "communities_committee",
    "office_for_communities_and_returns",
    "municipal_directorate",
    "central_government",
    "ombudsperson",
    "police",
    "public_enterprise",
    "other",
)

ADVOCACY_ACTION_KINDS: tuple[str, ...] = (
    "letter",
    "meeting_with_officials",
    "petition",
    "media",
    "public_event",
    "joint_statement",
    "other",
)

RESPONSE_KINDS: tuple[str, ...] = (
    "acknowledgement",
    "information",
    "commitment",
    "policy_change",
    "concrete_action",
    "partial",
    "refusal",
    "redirected",
)

# An acknowledgement or a redirection is not an answer (DESIGN §3).
SUBSTANTIVE_RESPONSE_KINDS: tuple[str, ...] = tuple(
    kind for kind in RESPONSE_KINDS if kind not in ("acknowledgement", "redirected")
)

REQUEST_KINDS: tuple[str, ...] = (
    "public_documents",
    "public_documents_urgent",
    "general_request",
    "petition",
)

COMMITMENT_STATUSES: tuple[str, ...] = (
    "fulfilled",
    "partially_fulfilled",
    "not_fulfilled",
)

OUTCOMES: tuple[str, ...] = ("resolved", "partially_resolved", "unresolved")

PRIORITIES: tuple[str, ...] = ("low", "normal", "high", "urgent")

FOLLOW_UP_CHANNELS: tuple[str, ...] = (
    "letter",
    "email",
    "phone",
    "meeting",
    "visit",
    "other",
)

GENDERS: tuple[str, ...] = ("female", "male", "other")

# The language a text is written in; Serbian in either script is "sr".
LANGUAGES: tuple[str, ...] = ("sq", "sr", "en", "tr", "bs")

STATUSES: tuple[str, ...] = (
    "submitted",
    "accepted",
    "declined",
    "duplicate",
    "in_advocacy",
    "referred",
    "awaiting_response",
    "answered",
    "resolved",
    "partially_resolved",
    "unresolved",
    "reopened",
)

PUBLISHABLE_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "category",
    "communities",
    "municipality",
    "location",
    "status",
    "timeline",
    "responses",
)


def is_substantive(response_kind: str) -> bool:
    """Tell whether a response of this kind counts as an answer."""
    return response_kind in SUBSTANTIVE_RESPONSE_KINDS
