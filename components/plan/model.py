"""Typed model of the plan: the one shape every page reads.

Field-level checks (types, ranges, enumerations) live on the classes so
pydantic reports them all at once; checks that need the whole plan (references
between parts, the site tree) live in `cross_check`, which returns problems
with their YAML paths instead of raising at the first one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter
from enum import Enum
from functools import cached_property
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

# Limits on lengths and counts (the README's data section lists them). Each is far above what a national plan
# needs (the benchmark's 100x plan has 2,700 tasks, 640 sites, 1,700 observations) and keeps any valid plan's
# work per page bounded: a 20,000-character site name is not a name, and 20,000 sites are not a plan's layout.
MAX_NAME = 500  # names, titles, units, document numbers: text shown as a label or a heading
MAX_TEXT = 20_000  # a task's or a safeguard's text, a quote, a note
MAX_REFS = 500  # sites, agencies or themes one task names; sites one corridor links
LIMITS = {  # the most items of each list in a plan
    "sources": 5_000,
    "regions": 500,
    "indicators": 1_000,
    "targets": 2_000,
    "related_targets": 2_000,
    "observations": 50_000,
    "sections": 99,
    "themes": 2_000,
    "agencies": 5_000,
    "tasks": 9_999,
    "safeguards": 99,
    "sites": 5_000,
    "connections": 1_000,
}

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]{0,63}$")]
Year = Annotated[int, Field(ge=1949, le=2100)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]
Note = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Refs = Annotated[list[Id], Field(max_length=MAX_REFS)]


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a hand-edited file must not vanish silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in both interface languages."""

    zh: NonEmpty
    en: NonEmpty

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


def _short(text: Text) -> Text:
    longest = max(len(text.zh), len(text.en))
    if longest > MAX_NAME:
        raise ValueError(f"a name or title has at most {MAX_NAME} characters, not {longest:,}")
    return text


Label = Annotated[Text, AfterValidator(_short)]  # a name or title in both languages: `Text` no longer than MAX_NAME


def _both_languages(value: object) -> object:
    """Arithmetic written as one string (as files before zh/en derivations were) reads the same in both
    languages; an empty one is none, as it was when a derivation was one string."""
    if isinstance(value, str):
        return {"zh": value, "en": value} if value.strip() else None
    return value


# A derivation: `Text`, or one string for both languages.
Arithmetic = Annotated[Text | None, BeforeValidator(_both_languages)]


class LeadRule(str, Enum):
    """How a plan's text says which responsible unit leads a task."""

    first_listed = "first_listed"  # 排在第一位的部门为牵头部门 / 列第一位者为牵头单位
    before_comma = "before_comma"  # 逗号前为牵头单位
    labelled = "labelled"  # each task labels its units: 牵头单位：…配合单位：…, A牵头，B参与
    none = "none"  # no rule stated: every unit listed is responsible and none is marked lead


class Draft(Strict):
    """Set on a plan the importer read from a plan's text: a draft, to be checked against the source by a person."""

    source_name: Name
    lead_rule: LeadRule
    lead_rule_quote: Note | None = None  # the sentence stating the rule, as written
    uncertainties: Annotated[int, Field(ge=0)] = 0


class Meta(Strict):
    title: Label
    doc_number: Name
    issuer: Label
    issue_date: dt.date | None = None  # None: the text states no date (an imported draft)
    period_start: Year
    period_end: Year
    target_year: Year
    baseline_year: Year
    purpose: Text
    source_file: Name
    translation_note: Text
    draft: Draft | None = None


class Source(Strict):
    """A document a figure was read in: the original publisher and title, and where it was read."""

    id: Id
    title: Name
    publisher: Name
    date: dt.date | None = None
    read_at: Note | None = None
    note: Note | None = None


class Region(Strict):
    id: Id
    name: Label


class QuantityKind(str, Enum):
    level = "level"
    share = "share"
    count = "count"
    cumulative = "cumulative"


class Indicator(Strict):
    id: Id
    name: Label
    unit: Label
    kind: QuantityKind
    decimals: Annotated[int, Field(ge=0, le=4)] = 1
    pitfalls: Text | None = None


class Comparator(str, Enum):
    about = "about"  # 左右
    reach = "reach"  # 达到
    exceed = "exceed"  # 超过
    cumulative_exceed = "cumulative_exceed"  # 累计超过


class CountingWindow(Strict):
    """The years a cumulative target sums over; the plan does not state them, so it is an assumption."""

    start: Year
    end: Year
    assumption: Text


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    if abs(value) > 1e12:
        raise ValueError("is implausibly large")
    return value


class Target(Strict):
    id: Id
    indicator: Id
    region: Id
    name: Label
    comparator: Comparator
    comparator_text: Name
    kind: QuantityKind
    value: float
    target_year: Year
    quote: NonEmpty
    source: Id
    window: CountingWindow | None = None

    _check_value = field_validator("value")(_finite)


class TargetEdit(Strict):
    """One target's what-if edit, as a person typed it; any field left None keeps the plan's value or the observed trend.

    It lives beside `Target` because it is typed data of the same kind: the URL codec, the scenario files
    and the what-if maths (`analysis/whatif.py`) all read it. `growth_pct` is the assumed annual change:
    % per year for levels and counts, percentage points per year for shares, % per year of the annual
    amounts for a cumulative target.
    """

    value: float | None = None
    target_year: Year | None = None
    growth_pct: float | None = None

    @field_validator("value", "growth_pct")
    @classmethod
    def _check_finite(cls, value: float | None) -> float | None:
        return None if value is None else _finite(value)


class RelatedTarget(Strict):
    """A later or neighbouring official target for the same indicator, for comparing target sets."""

    id: Id
    indicator: Id
    region: Id
    target_set: Label
    comparator: Comparator
    value: float
    target_year: Year
    source: Id
    read_at: Note | None = None

    _check_value = field_validator("value")(_finite)


class Flag(str, Enum):
    secondary = "secondary"  # read in a secondary source (press commentary, aggregator)
    snapshot = "snapshot"  # a count at a date inside the year, not the year-end stock
    derived = "derived"  # worked out by stated arithmetic, not read directly
    preliminary = "preliminary"  # a preliminary figure later revised
    year_inferred = "year_inferred"  # the source does not state the year
    different_definition = "different_definition"  # close but not the plan's exact indicator
    lower_bound = "lower_bound"  # the source says "more than" (超过/突破): the true value is above it


# A month or a day, as precise as the source is: "2025-09" or "2025-09-25", never padded.
AsOf = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")]


class Observation(Strict):
    indicator: Id
    region: Id
    year: Year
    value: float
    source: Id
    quote: NonEmpty
    flags: Annotated[list[Flag], Field(max_length=20)] = []
    derivation: Arithmetic = None
    charted: bool = True
    as_of: AsOf | None = None  # the date a snapshot counts at
    decision: Text | None = None  # why this value is (or is not) the one charted for its year
    note: Text | None = None

    _check_value = field_validator("value")(_finite)

    @field_validator("as_of", mode="before")
    @classmethod
    def _date_as_text(cls, value: object) -> object:
        """YAML reads `as_of: 2025-09-25` as a date; keep it as the text the person typed."""
        return value.isoformat() if isinstance(value, dt.date) else value


class Section(Strict):
    id: Id
    number: Annotated[int, Field(ge=1, le=99)]
    numeral: Name
    title: Label


class Theme(Strict):
    id: Id
    name: Label


class Task(Strict):
    id: Id
    number: Annotated[int, Field(ge=1, le=9999)]
    section: Id
    title: Label
    text: Text
    themes: Refs = []
    sites: Refs = []
    lead: Refs = []  # a curated plan needs one (cross_check); a draft may have found none
    support: Refs = []
    responsibility_text: NonEmpty | None = None
    label: Note | None = None  # the number as written (（三）, 2.), when the draft numbers tasks itself
    lead_stated: bool = True  # False: the text names the units without saying who leads; all are in `lead`


class AgencyKind(str, Enum):
    provincial_department = "provincial_department"
    provincial_agency = "provincial_agency"
    party_organ = "party_organ"
    city_government = "city_government"
    city_group = "city_group"
    central_branch = "central_branch"
    judicial = "judicial"
    public_institution = "public_institution"
    people_organization = "people_organization"
    government_department = "government_department"  # any level; the importer cannot tell 省 from 市 reliably
    group = "group"  # a generic group of units: 各区政府, 各有关单位, 各区、县级市
    other = "other"


class Agency(Strict):
    id: Id
    name: Label
    kind: AgencyKind
    kind_guessed: bool = False  # True: the importer guessed the kind from the name


class Safeguard(Strict):
    number: Annotated[int, Field(ge=1, le=99)]
    title: Label
    text: Text


class SiteKind(str, Enum):
    science_city = "science_city"
    science_centre = "science_centre"
    core_area = "core_area"
    zone = "zone"
    national_lab = "national_lab"
    lab = "lab"
    innovation_centre = "innovation_centre"
    major_facility = "major_facility"
    platform = "platform"
    innovative_city = "innovative_city"


class Precision(str, Enum):
    site = "site"  # the site itself, to within about a kilometre
    district = "district"  # the district or county it lies in
    city = "city"  # the city's centre only
    none = "none"  # no single point (a region-wide entity)


class Province(str, Enum):
    sichuan = "sichuan"
    chongqing = "chongqing"
    both = "both"


class Site(Strict):
    id: Id
    name: Label
    kind: SiteKind
    province: Province
    city: Label | None = None
    parent: Id | None = None
    lon: Annotated[float, Field(ge=97.0, le=111.0)] | None = None
    lat: Annotated[float, Field(ge=25.0, le=35.0)] | None = None
    precision: Precision
    status: Label | None = None
    source: Id  # the document that names the site and, for a placed site, says where it is
    area: Annotated[str, StringConstraints(pattern=r"^\d{6}$")] | None = None  # boundary feature whose outline centre the point is


class Connection(Strict):
    """A link the sources describe between places, such as a corridor."""

    id: Id
    name: Label
    sites: Annotated[list[Id], Field(min_length=2, max_length=MAX_REFS)]
    source: Id


class Plan(Strict):
    schema_version: Literal[1]
    meta: Meta
    sources: Annotated[list[Source], Field(max_length=LIMITS["sources"])]
    regions: Annotated[list[Region], Field(max_length=LIMITS["regions"])]
    indicators: Annotated[list[Indicator], Field(max_length=LIMITS["indicators"])]
    targets: Annotated[list[Target], Field(max_length=LIMITS["targets"])]
    related_targets: Annotated[list[RelatedTarget], Field(max_length=LIMITS["related_targets"])] = []
    observations: Annotated[list[Observation], Field(max_length=LIMITS["observations"])] = []
    sections: Annotated[list[Section], Field(max_length=LIMITS["sections"])]
    themes: Annotated[list[Theme], Field(max_length=LIMITS["themes"])] = []
    agencies: Annotated[list[Agency], Field(max_length=LIMITS["agencies"])]
    tasks: Annotated[list[Task], Field(max_length=LIMITS["tasks"])]
    safeguards: Annotated[list[Safeguard], Field(max_length=LIMITS["safeguards"])] = []
    sites: Annotated[list[Site], Field(max_length=LIMITS["sites"])] = []
    connections: Annotated[list[Connection], Field(max_length=LIMITS["connections"])] = []

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    @cached_property
    def fingerprint(self) -> str:
        """A content hash that caches of derived figures key on: hashing the whole model on every rerun would cost more than the figures."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()

    @cached_property
    def sections_in_order(self) -> list[Section]:
        return sorted(self.sections, key=lambda section: section.number)

    @cached_property
    def tasks_in_order(self) -> list[Task]:
        return sorted(self.tasks, key=lambda task: task.number)

    @cached_property
    def agency_by_id(self) -> dict[str, Agency]:
        return {a.id: a for a in self.agencies}

    @cached_property
    def site_by_id(self) -> dict[str, Site]:
        return {s.id: s for s in self.sites}

    @cached_property
    def indicator_by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    @cached_property
    def region_by_id(self) -> dict[str, Region]:
        return {r.id: r for r in self.regions}

    @cached_property
    def section_by_id(self) -> dict[str, Section]:
        return {s.id: s for s in self.sections}

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    @cached_property
    def theme_by_id(self) -> dict[str, Theme]:
        return {theme.id: theme for theme in self.themes}

    @cached_property
    def tasks_by_section(self) -> dict[str, list[Task]]:
        """Each section's tasks in task order (every section appears, an empty one too)."""
        grouped: dict[str, list[Task]] = {s.id: [] for s in self.sections_in_order}
        for task in self.tasks_in_order:
            grouped.setdefault(task.section, []).append(task)
        return grouped

    @cached_property
    def tasks_by_site(self) -> dict[str, list[int]]:
        """Which tasks name each site: kept on the tasks only, so it is derived here."""
        named: dict[str, list[int]] = {s.id: [] for s in self.sites}
        for task in self.tasks:
            for site_id in task.sites:
                named.setdefault(site_id, []).append(task.number)
        return named


PathPart = str | int
Path = tuple[PathPart, ...]


def _duplicates(items: list, attr: str, collection: str) -> list[tuple[Path, str]]:
    seen: Counter = Counter()
    found = []
    for index, item in enumerate(items):
        key = getattr(item, attr)
        seen[key] += 1
        if seen[key] == 2:
            found.append(((collection, index, attr), f"duplicate {attr} {key!r}"))
    return found


def _refs(values: list[str], known: set[str], path: Path, what: str) -> list[tuple[Path, str]]:
    return [((*path, i), f"unknown {what} {value!r}") for i, value in enumerate(values) if value not in known]


def cross_check(plan: Plan) -> list[tuple[Path, str]]:
    """Checks that need the whole plan; each problem comes with the YAML path it is about."""
    problems: list[tuple[Path, str]] = []
    for collection, attr in [
        ("sources", "id"),
        ("regions", "id"),
        ("indicators", "id"),
        ("targets", "id"),
        ("related_targets", "id"),
        ("sections", "id"),
        ("sections", "number"),
        ("themes", "id"),
        ("agencies", "id"),
        ("tasks", "id"),
        ("tasks", "number"),
        ("safeguards", "number"),
        ("sites", "id"),
        ("connections", "id"),
    ]:
        problems += _duplicates(getattr(plan, collection), attr, collection)

    sources = set(plan.source_by_id)
    regions = set(plan.region_by_id)
    indicators = set(plan.indicator_by_id)
    agencies = set(plan.agency_by_id)
    sites = set(plan.site_by_id)

    meta = plan.meta
    if not meta.period_start <= meta.period_end:
        problems.append((("meta", "period_end"), "plan period ends before it starts"))
    if not meta.baseline_year < meta.target_year:
        problems.append((("meta", "baseline_year"), "baseline year must come before the target year"))
    if not meta.period_start <= meta.target_year:
        problems.append((("meta", "target_year"), "target year is before the plan period"))

    for collection in ("targets", "related_targets"):
        for i, target in enumerate(getattr(plan, collection)):
            path: Path = (collection, i)
            problems += _refs([target.indicator], indicators, (*path, "indicator"), "indicator")
            problems += _refs([target.region], regions, (*path, "region"), "region")
            problems += _refs([target.source], sources, (*path, "source"), "source")
            problems += _range_problems(plan, target.indicator, target.value, (*path, "value"))
    for i, target in enumerate(plan.targets):
        cumulative = target.kind is QuantityKind.cumulative
        if cumulative and target.window is None:
            problems.append((("targets", i, "window"), "a cumulative target needs its counting window"))
        if not cumulative and target.window is not None:
            problems.append((("targets", i, "window"), "only a cumulative target has a counting window"))
        if target.window is not None and not target.window.start <= target.window.end <= target.target_year:
            problems.append((("targets", i, "window"), "counting window must end by the target year"))

    charted: Counter = Counter()
    for i, obs in enumerate(plan.observations):
        path = ("observations", i)
        problems += _refs([obs.indicator], indicators, (*path, "indicator"), "indicator")
        problems += _refs([obs.region], regions, (*path, "region"), "region")
        problems += _refs([obs.source], sources, (*path, "source"), "source")
        problems += _range_problems(plan, obs.indicator, obs.value, (*path, "value"))
        if Flag.derived in obs.flags and not obs.derivation:
            problems.append(((*path, "derivation"), "a derived value must state its arithmetic"))
        if Flag.snapshot in obs.flags and not obs.as_of:
            problems.append(((*path, "as_of"), "a snapshot must say the date it counts at (as_of: 2025-09)"))
        if not obs.charted and obs.decision is None:
            problems.append(((*path, "decision"), "a value that is not charted must say why (decision: {zh: …, en: …})"))
        if obs.charted:
            key = (obs.indicator, obs.region, obs.year)
            charted[key] += 1
            if charted[key] == 2:
                problems.append(
                    ((*path, "charted"), f"two charted values for {obs.indicator} {obs.region} {obs.year}: mark one charted: false")
                )

    section_ids = set(plan.section_by_id)
    themes = set(plan.theme_by_id)
    for i, task in enumerate(plan.tasks):
        path = ("tasks", i)
        if meta.draft is None:  # a curated plan names every task's lead and responsibility text; a draft may not have found them
            if not task.lead:
                problems.append(((*path, "lead"), "a task needs at least one lead agency"))
            if task.responsibility_text is None:
                problems.append(((*path, "responsibility_text"), "a task needs its responsibility text"))
        problems += _refs([task.section], section_ids, (*path, "section"), "section")
        problems += _refs(task.lead, agencies, (*path, "lead"), "agency")
        problems += _refs(task.support, agencies, (*path, "support"), "agency")
        problems += _refs(task.themes, themes, (*path, "themes"), "theme")
        problems += _refs(task.sites, sites, (*path, "sites"), "site")
        for j, agency in enumerate(task.support):
            if agency in task.lead:
                problems.append(((*path, "support", j), f"agency {agency!r} is already a lead of this task"))

    for i, site in enumerate(plan.sites):
        path = ("sites", i)
        problems += _refs([site.source], sources, (*path, "source"), "source")
        if site.parent is not None:
            problems += _refs([site.parent], sites, (*path, "parent"), "parent site")
        if (site.lon is None) != (site.lat is None):
            problems.append(((*path, "lon"), "give both lon and lat, or neither"))
        if site.lon is None and site.precision is not Precision.none:
            problems.append(((*path, "precision"), "a site without coordinates must have precision 'none'"))
        if site.lon is not None and site.precision is Precision.none:
            problems.append(((*path, "precision"), "a site with coordinates needs a precision other than 'none'"))
        if site.area is not None and site.lon is None:
            problems.append(((*path, "area"), "a site drawn at an area's centre needs that centre as lon and lat"))
    problems += _site_cycles(plan)

    for i, connection in enumerate(plan.connections):
        problems += _refs(connection.sites, sites, ("connections", i, "sites"), "site")
        problems += _refs([connection.source], sources, ("connections", i, "source"), "source")
    return problems


def _range_problems(plan: Plan, indicator_id: str, value: float, path: Path) -> list[tuple[Path, str]]:
    indicator = plan.indicator_by_id.get(indicator_id)
    if indicator is None:
        return []
    if value < 0:
        return [(path, f"{value} is negative")]
    if indicator.kind is QuantityKind.share and value > 100:
        return [(path, f"{value} is a share over 100")]
    return []


def sites_in_cycles(sites: list[Site]) -> list[str]:
    """Ids of the sites whose parent chain comes back to themselves, in plan order.

    Linear in the number of sites: each chain is walked once, and a walk stops at the first
    site already settled (a 20,000-site chain must not take 20,000² steps).
    """
    parent = {s.id: s.parent for s in sites}
    state: dict[str, int] = {}  # 1 = on the walk being made, 2 = settled
    cyclic: set[str] = set()
    for site in sites:
        walk: list[str] = []
        current: str | None = site.id
        while current is not None and current in parent and state.get(current) is None:
            state[current] = 1
            walk.append(current)
            current = parent[current]
        if current is not None and state.get(current) == 1:  # came back onto this walk: the tail from there is a cycle
            cyclic.update(walk[walk.index(current) :])
        for visited in walk:
            state[visited] = 2
    return [s.id for s in sites if s.id in cyclic]


def _site_cycles(plan: Plan) -> list[tuple[Path, str]]:
    """The 一城多园 hierarchy must be a tree: following parents never comes back."""
    index = {s.id: i for i, s in enumerate(plan.sites)}
    parent = {s.id: s.parent for s in plan.sites}
    return [
        (("sites", index[site_id], "parent"), f"site {site_id!r} is its own ancestor (cycle through {parent[site_id]!r})")
        for site_id in sites_in_cycles(plan.sites)
    ]
