"""Believable words for demo cases: issues forums really raise, per category.

Each issue has its title and description in the language of the community
that wrote it down; places are villages or neighbourhoods of the demo
municipalities.
"""

from __future__ import annotations

# (category, Albanian title, Serbian title, English title, description template)
ISSUES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "environment",
        "Lumi në {place} ndotet nga ujërat e zeza",
        "Reka u mestu {place} zagađena otpadnim vodama",
        "River in {place} polluted by sewage",
        "Residents of {place} report sewage flowing into the river for months; "
        "children play on the banks and livestock drink from it.",
    ),
    (
        "environment",
        "Deponi ilegale pranë shkollës në {place}",
        "Divlja deponija pored škole u mestu {place}",
        "Illegal dump next to the school in {place}",
        "Waste is dumped and burned next to the primary school in {place}; "
        "parents of all communities ask for removal and a fence.",
    ),
    (
        "infrastructure",
        "Rruga pa ndriçim në {place}",
        "Neosvetljen put u mestu {place}",
        "Unlit road in {place}",
        "The road through {place} has no street lights; pupils walk to school "
        "in the dark in winter and two accidents happened this year.",
    ),
    (
        "infrastructure",
        "Ura e dëmtuar në {place}",
        "Oštećen most u mestu {place}",
        "Damaged bridge in {place}",
        "The footbridge in {place} was damaged by floods and is the only link "
        "between the two parts of the village.",
    ),
    (
        "public_services",
        "Ambulanca në {place} pa mjek",
        "Ambulanta u mestu {place} bez lekara",
        "Clinic in {place} without a doctor",
        "The family health clinic in {place} has had no doctor for months; "
        "elderly people travel 20 km for a prescription.",
    ),
    (
        "public_services",
        "Ujë i pijshëm i ndërprerë në {place}",
        "Prekidi vodosnabdevanja u mestu {place}",
        "Drinking water cut off in {place}",
        "Households in {place} receive water only a few hours a day during "
        "summer; the forum asks for a schedule and repairs.",
    ),
    (
        "domestic_violence",
        "Mungesë strehimore për viktimat në {place}",
        "Nedostatak skloništa za žrtve u mestu {place}",
        "No shelter for victims in {place}",
        "Women's groups from {place} report no safe shelter and slow response "
        "to domestic violence calls.",
    ),
    (
        "gender_equality",
        "Gratë të papërfaqësuara në këshillin e fshatit {place}",
        "Žene nisu zastupljene u savetu sela {place}",
        "Women unrepresented in the village council of {place}",
        "No woman sits on the village council of {place}; the forum asks the "
        "municipality to support an open election.",
    ),
    (
        "youth_emigration",
        "Të rinjtë e {place} largohen pa punë",
        "Mladi iz mesta {place} odlaze bez posla",
        "Young people leaving {place} for lack of jobs",
        "Half of the graduates from {place} left in two years; the forum asks "
        "for internships with municipal enterprises.",
    ),
    (
        "culture_language",
        "Mbishkrime vetëm në një gjuhë në {place}",
        "Natpisi samo na jednom jeziku u mestu {place}",
        "Signs in only one official language in {place}",
        "Public signs in {place} are in one language only, against the Law on "
        "the Use of Languages.",
    ),
    (
        "community_rights",
        "Dokumentet komunale vetëm në një gjuhë në {place}",
        "Opštinski dokumenti samo na jednom jeziku u mestu {place}",
        "Municipal documents in only one language in {place}",
        "Residents of {place} receive municipal decisions they cannot read; "
        "the forum asks for translation as the law requires.",
    ),
    (
        "safety_crime",
        "Vjedhje të shpeshta në {place}",
        "Česte krađe u mestu {place}",
        "Frequent thefts in {place}",
        "Thefts of livestock and tools in {place} go unreported because the "
        "police station is far; the forum asks for patrols.",
    ),
    (
        "natural_hazards",
        "Rrezik përmbytjeje në {place}",
        "Opasnost od poplava u mestu {place}",
        "Flood risk in {place}",
        "The stream in {place} overflows every spring; the forum asks for the "
        "riverbed to be cleaned before the rains.",
    ),
    (
        "economy_employment",
        "Tregu i fermerëve i mbyllur në {place}",
        "Zatvorena pijaca za poljoprivrednike u mestu {place}",
        "Farmers' market closed in {place}",
        "The farmers' market in {place} was closed without notice; farmers of "
        "every community lost their only place to sell.",
    ),
    (
        "rule_of_law",
        "Leje ndërtimi pa dëgjim publik në {place}",
        "Građevinske dozvole bez javne rasprave u mestu {place}",
        "Building permits without public hearing in {place}",
        "Permits for a quarry near {place} were issued without the public "
        "hearing the law requires.",
    ),
    (
        "property",
        "Pronat e të kthyerve të uzurpuara në {place}",
        "Uzurpirana imovina povratnika u mestu {place}",
        "Returnees' property occupied in {place}",
        "Returnee families in {place} cannot use their land; the forum asks "
        "the municipality to act on court decisions.",
    ),
)

# Villages and neighbourhoods per demo municipality.
PLACES: dict[str, tuple[str, ...]] = {
    "STR": ("Brezovica", "Sevce", "Gotovuša", "Vrbeštica", "Jažince"),
    "VIT": ("Pozheran", "Binçë", "Letnicë", "Gërmovë", "Kabash"),
    "KAM": ("Koretin", "Ranillug", "Hodonoc", "Topanicë", "Busavatë"),
    "LIP": ("Magure", "Janjevo", "Gracko", "Dobrotin", "Konjuh"),
    "MIS": ("Bair", "Shipol", "Zhabar", "Suhodoll", "Vaganicë"),
    "MIN": ("Bošnjačka Mahala", "Brđani", "Mikronaselje", "Suvi Do", "Tri Solitera"),
    "GRA": ("Laplje Selo", "Batuse", "Čaglavica", "Preoce", "Badovc"),
}

INSTITUTIONS: tuple[tuple[str, str], ...] = (
    ("mayor", "Office of the Mayor"),
    ("municipal_assembly", "Municipal Assembly"),
    ("communities_committee", "Communities Committee"),
    ("office_for_communities_and_returns", "Office for Communities and Returns"),
    ("municipal_directorate", "Directorate of Public Services"),
    ("municipal_directorate", "Directorate of Health"),
    ("municipal_directorate", "Directorate of Urban Planning"),
    ("public_enterprise", "Regional Water Company"),
    ("police", "Kosovo Police station"),
    ("central_government", "Ministry of Environment"),
    ("ombudsperson", "Ombudsperson Institution"),
)

RESPONSE_SUMMARIES: dict[str, str] = {
    "acknowledgement": "The request was registered and passed to the directorate.",
    "information": "The municipality sent the documents and budget lines asked for.",
    "commitment": "The directorate commits to act within this budget year.",
    "policy_change": "The assembly adopted a decision changing the local rule.",
    "concrete_action": "Municipal workers carried out the works requested.",
    "partial": "Part of the request was met; the rest awaits funding.",
    "refusal": "The municipality says the matter is outside its competence.",
    "redirected": "The request was forwarded to the central institution.",
}
