"""The vocabulary of the reports, as data: units, separators, keywords.

Everything language- or convention-specific that the stages recognise lives here, so a
new report style means a new table row, not a new branch in the code.
"""

from __future__ import annotations

from decimal import Decimal

# Characters used between digit groups ("64 410 035", "64\u00a0410\u00a0035").
GROUP_SEPARATORS = " \u00a0\u202f\u2009"
# Minus signs seen in the reports: hyphen-minus, the Unicode minus and the en dash.
MINUS_SIGNS = "-\u2212\u2013"

# The unit of a table of counts ("Antal"), beside the money units.
COUNT_UNIT = "antal"
# Money units: every spelling -> (canonical unit, multiplier to kronor).
UNIT_MULTIPLIER: dict[str, Decimal] = {
    "kr": Decimal(1),
    "tkr": Decimal(1_000),
    "mnkr": Decimal(1_000_000),
    "mdkr": Decimal(1_000_000_000),
    COUNT_UNIT: Decimal(1),  # counts: reconciled as written, never converted (no spelling makes text a count)
}
UNIT_SPELLINGS: dict[str, str] = {
    "kr": "kr",
    "kr.": "kr",
    "kronor": "kr",
    "sek": "kr",
    ":-": "kr",
    "tkr": "tkr",
    "tsek": "tkr",
    "ksek": "tkr",
    "tusen kronor": "tkr",
    "tusental kronor": "tkr",
    "mkr": "mnkr",
    "mnkr": "mnkr",
    "mn kr": "mnkr",
    "msek": "mnkr",
    "miljoner kronor": "mnkr",
    "miljoner": "mnkr",
    "miljon kronor": "mnkr",
    "miljon": "mnkr",
    "mdkr": "mdkr",
    "mdr kr": "mdkr",
    "miljarder kronor": "mdkr",
    "miljarder": "mdkr",
    "miljard kronor": "mdkr",
    "miljard": "mdkr",
}

# Row labels that state a table's total ("TOTALT:", "Totalt erhållna medel 2022", "TOT SUMMA").
TOTAL_LABEL = r"(?:tot(?:alt?|\.)?|summa\s+totalt|totalsumma|total\s+summa)\b"
# Row labels naming a result that may be a difference of the rows above ("Rörelseresultat",
# "Budgetavvikelse", "Nettokostnader", "Återstår", "Årets kassaflöde", "Redovisat värde vid
# årets slut"): a prior for reading rows, never proof.
RESULT_LABEL = (
    r"resultat|avvikelse|\bnetto|differens|\bsaldo|överskott|underskott|återstår|\bkvar\b|kassaflöde"
    r"|\butgående\b|vid\s+årets\s+slut|\b(?:redovisat|bokfört)\s+värde"
)
# Row labels of a "varav" part of the row above ("Varav kortfristig del", "I utgående
# restvärde ingår mark med").
PART_LABEL = r"^\W*(?:varav|därav)\b|^\W*i\s.*\bingår\b"
# Row labels of a subtotal inside a table ("SUMMA", "Delsumma").
SUBTOTAL_LABEL = r"(?:del)?summa\b"
# Column headers naming an amount that is subtracted from the columns before it
# ("Förbrukade medel av föregående kolumn", "Återbetalning").
DEDUCTION_HEADER = r"\b(?:förbruk|använd|återbetal|avgår|avdrag|minus|utbetal)"
# Column headers of a column that is the sum of the amount columns before it.
SUM_HEADER = r"^(?:summa|totalt?|saldo|kvar|återstår|netto)\b"
# Column headers naming a result of other columns ("Avvikelse", "Budgetavvikelse",
# "Differens", "Förändring"): an identity between columns needs fewer rows to show it.
IDENTITY_HEADER = r"avvikelse|differens|\bdiff\b|återstår|\bkvar\b|^(?:summa|totalt)\b|netto|resultat|saldo|förändring"
# Column headers of figures that are not money: counts, shares ("Antal 2024", "Andel %").
COUNT_HEADER = r"^(?:(?:antal|andel|procent)\b|st\.?$)|%"
# A report declaring the unit of its figures ("Alla belopp redovisas i kronor", "upprättad i
# svenska kronor", "Belopp anges i tkr om inte annat anges", "Belopp i kr"): its tables are
# money even where a table does not repeat the unit.
UNIT_DECLARATION = (
    r"\b(?:belopp\w*|redovisa\w*|upprätta\w*|anges|angivna|uttryck\w*)\b[^.\n]{0,40}?\bi\s+"
    r"(?:svenska\s+|hela\s+|tusentals\s+|tusen\s+|miljoner\s+)?(?:kronor|kr|tkr|mkr|mnkr|sek|ksek|tsek|msek)\b"
)
# Column headers of figures that are never amounts: note references ("Not", "Noter", "Not
# nr") and periods of years ("År", "Beräknad livslängd år", "Avskrivningstid").
NOTE_HEADER = (
    r"^(?:not(?:er)?(?:\s*nr)?\.?|år|antal\s+år|(?:beräknad\s+)?livslängd.*|nyttjandeperiod.*|avskrivningstid.*)$"
)
# Column headers, and words near a table, naming counts ("Antal 2024", "Antal anställda",
# "st"): whole numbers that a stated total may sum, reconciled as counts (unit "antal").
COUNT_WORD = r"^(?:antal\b|st\.?$)"
COUNT_CONTEXT = r"\bantal\b"
# Words near a table (its header, a short caption) that name figures other than money;
# a table with no money unit written is then not read as kronor.
NOT_MONEY = r"\b(?:procent|procentenheter|index|antal|andel|kvot|statistik)\b|%"
# Row labels of key figures that are no amounts: shares, rates, per-unit figures
# ("Soliditet (%)", "Årsavgift/kvm", "Lönekostnad per årsarbetare", "Arbetad tid
# (årsarbetare)"). A table without a stated total holding such rows is a table of key
# figures: statistics, not amounts that sum.
KEY_FIGURE_LABEL = (
    r"\(%\)|%\s*$|\bi\s+%|\bprocent\b|\bper\s+\p{L}|/\s*(?:kvm|m2|m²|inv|invånare|årsarbetare|anställd|elev|lägenhet)\b"
    r"|\b(?:soliditet|andel|årsarbetare|kvot|nyckeltal)\b"
)
# Prose that divides a whole into parts ("Av dessa utbetalas 380 tkr ...", "Resterande 20
# tkr ..."), that names a result of the figures before it ("Årets balanskravsresultat
# uppgår till ..."), and that deducts a figure ("En avsättning ... har gjorts med 365 mnkr").
PROSE_PARTS = (
    r"\b(?:av\s+(?:dessa|detta|denna|beloppet|summan)|varav|därav|resterande|återstående"
    r"|fördela[sd]e?|består\s+av|utgörs\s+av)\b"
)
PROSE_RESULT = r"resultat|\b(?:totalt|sammanlagt|summa|summan|netto)\b"
PROSE_DEDUCTION = r"\b(?:avsättning|avsatt|avdrag|avgår|avräkn\w*|återbetal\w*|dras\s+av|minskat?\s+med)\b"
# Parenthetical "of which" breakdowns in an amount cell: "(varav 14 921 522 kr avser ...)".
PART_OF_WORDS = r"\b(?:varav|därav)\b"

# Markers of list items: "-", "•", "–", "−", "*", "", "(cid:127)" and numbered items.
BULLET = r"(?:[-•–−*▪●○◦■□➢►\uf0b7\uf0a7]|\(cid:\d+\))"

# Diary numbers: "RS/76/2022", "HSN/736/2022", "RS/27:1/2020", "RUN/231/2020".
DIARY_NUMBER = r"(?<![\w/])(?:\p{Lu}{1,5})/\d{1,5}(?::\d{1,3})?/(?:19|20)\d{2}(?![\w/])"

# Document kinds, recognised from the title first and then from the front matter.
DOC_KINDS: list[tuple[str, str]] = [
    ("decision_basis", r"\bbeslutsunderlag\b"),
    ("allocation_decision", r"\bfördelning\b"),
    ("follow_up", r"\b(?:uppföljning|återrapportering|redovisning)\b"),
    ("compilation", r"\b(?:sammanställning|satsningar)\b"),
]

# Organisations that publish the reports ("Bank of England kommun-icerat", a word broken at a
# line's end, is none).
ORGANISATION = (
    r"\bRegion(?:\s+(?!JH\b)\p{Lu}[\p{Ll}\-]+){1,3}"
    r"|\b\p{Lu}[\p{Ll}\-]+(?:\s+\p{Lu}[\p{Ll}\-]+)?\s+(?:kommun|läns\s+landsting)\b(?!-\s*\p{Ll})"
    r"|\b\p{Lu}[\p{Ll}\-]+regionen\b"
)

# Grant register: captions naming received funds, and grant categories by label.
# A summary table of received funds names them in its header ("Erhållna medel", "Nationella
# överenskommelser och statsbidrag", "Tillfälliga statsbidrag", "Nationella satsningar").
REGISTER_HEADER = r"\b(?:erhåll\w*|mottag\w*|överenskommelser|statsbidrag|satsningar)\b"
GRANT_CATEGORIES: list[tuple[str, str]] = [
    ("temporary", r"\b(?:tillfällig|pandemi|covid)"),
    ("agreement", r"\b(?:tilläggs)?överenskommelse"),
    ("state_grant", r"\b(?:statsbidrag|stimulansmedel|bidrag|ersättning|medel)"),
]

# What a figure is of, beside its item and year: the kind of a column header or a row
# label, tried in order ("Budgetavvikelse" is a deviation, not a budget). "Återstår" is
# what is left of a budget: a deviation too.
FIGURE_KINDS = (
    ("avvikelse", r"avvik|differens|återstår|\bkvar\b|över-?\s?/?\s?underskott"),
    ("prognos", r"prognos"),
    ("budget", r"budget"),
    ("utfall", r"utfall|bokslut|\butf\b"),
)
# A column of the year before the one the report covers ("Utfall fg år").
PRIOR_YEAR_HEADER = r"\b(?:fg\.?|föreg\.?|föregående)\s+år"
# Words of a label that say nothing of what it is a figure of.
GENERIC_LABEL_WORDS = frozenset(
    {"summa", "s", "a", "totalt", "total", "tot", "och", "för", "av", "i", "med", "till", "på", "från", "samt"}
    | {"varav", "därav", "inkl", "exkl", "the", "kr", "tkr", "mnkr", "mkr", "kronor", "not", "nr", "st"}
)
# Endings of a Swedish word that leave its stem ("investeringar" -> "investering").
WORD_ENDINGS = ("arna", "erna", "orna", "ar", "er", "or", "na", "en", "et", "n", "s", "a", "e")
ABBREVIATION_CHARS = 4  # "adm", "gem", "fin": a word this short that begins a longer one is its abbreviation
# Compound prefixes that leave the item the same ("Nettoinvesteringar" = investeringar).
LABEL_PREFIXES = ("netto", "brutto", "total", "summa")
# A figure in prose that is a deviation from budget, and which way: a surplus (+) or a
# deficit (-); "högre än budgeterat" is a deviation too.
PROSE_SURPLUS = r"överskott\w*|positiv\w*\s+avvikelse|högre\s+än\s+budget\w*|lägre\s+kostnader\s+än\s+budget\w*"
PROSE_DEFICIT = r"underskott\w*|negativ\w*\s+avvikelse|lägre\s+än\s+budget\w*|högre\s+kostnader\s+än\s+budget\w*"
PROSE_DEVIATION = r"avvikelse\w*|(?:över|under)skott\w*|(?:högre|lägre)\s+än\s+budget\w*"
PROSE_BUDGET = r"\bbudget(?:en|erade?|erat|ram\w*)?\b"

# The words a grant's or agreement's name is wrapped in, which say nothing of which one it
# is: "Överenskommelse om en God och nära vård 2022, en omställning ... (RS/76/2022)" and
# "God och Nära vård" are one agreement. Leading words are removed repeatedly.
AGREEMENT_LEAD = (
    r"^(?:beslutsunderlag|fördelning(?:\s+av)?|uppföljning(?:\s+av)?|förslag\s+till\s+fördelning\s+av"
    r"|(?:tilläggs)?överenskommelse(?:n|r|rna)?|statsbidrag(?:et)?|stimulansmedel|riktade"
    r"|till\s+regioner(?:na)?|till\s+kommuner(?:na)?|för\s+att|för|om|inom\s+området|avseende|en|ett|att)\b[\s\-–:]*"
)
# Where the name ends: a sub-title after a comma or a dash, an addition after "+", the
# diary number in brackets.
AGREEMENT_END = r",|\s[-–]\s|\+|\(|(?<=\p{L})-\s(?!och\b|eller\b|samt\b)"
# Kinds of documents about one agreement (their title names it), not a register of many.
AGREEMENT_DOC_KINDS = ("allocation_decision", "decision_basis")
