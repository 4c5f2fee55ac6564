"""The action plan: 3 to 5 prioritised steps chosen from the firm's gaps and its market.

Each candidate step names the gap that calls for it (a condition on the answers), the
dimension it improves and a weight taken from the study's findings on what drives activity
(a strategy first, then the leader's appetite, trained staff and a marketing team). Steps
whose gap is present are ranked by ``weight x (100 - dimension score)``: the weaker the
dimension, the earlier the step; the best step specific to the firm's market always stays
in. Market steps follow the study's advice: B2B firms gain from
prospecting, recruitment and employer branding and sector watch on LinkedIn; B2C firms from
community and customer service on the networks their customers use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from barometre.diagnostic._text import Text
from barometre.diagnostic.scoring import Dimension, MaturityScore
from barometre.questionnaire import Answers, chosen, code, is_present

MIN_STEPS = 3
MAX_STEPS = 5

ENTRY_BUDGET = Text(
    "Ticket d'entrée selon l'étude : environ 10 k€ par an, temps du personnel compris, "
    "dont un petit budget de promotion payante (sans promotion, les publications sont peu vues).",
    "The study's entry ticket: about 10 k€ a year, staff time included, with a small paid "
    "promotion budget (without promotion, posts are rarely seen).",
)
ENTRY_TIME = Text(
    "Compter deux demi-journées pour poser la ligne éditoriale, puis 2 à 4 heures par semaine.",
    "Allow two half-days to set the editorial line, then 2 to 4 hours a week.",
)


@dataclass(frozen=True)
class ActionStep:
    """One step of the plan, with what it takes."""

    priority: int
    code: str
    dimension: Dimension
    title: Text
    detail: Text
    time: Text
    budget: Text


@dataclass(frozen=True)
class ActionPlan:
    """The prioritised steps and the overall entry-level means they need."""

    market: str | None
    steps: tuple[ActionStep, ...]
    budget: Text
    time: Text


Condition = Callable[[Answers], bool]


@dataclass(frozen=True)
class _Candidate:
    code: str
    dimension: Dimension
    weight: float
    markets: frozenset[str]
    gap: Condition
    title: Text
    detail: Text
    time: Text
    budget: Text


def _not_yes(question: str) -> Condition:
    return lambda a: code(a, question) != "yes"


def _lacks(question: str, wanted: str) -> Condition:
    return lambda a: wanted not in chosen(a, question)


def _low(question: str) -> Condition:
    return lambda a: code(a, question) not in {"active", "tres_active"}


def _lacks_networks(*networks: str) -> Condition:
    return lambda a: all(code(a, q) != "yes" for q in networks)


ALL_MARKETS = frozenset({"b2b", "b2c", "both", ""})
B2B = frozenset({"b2b", "both", ""})
B2C = frozenset({"b2c", "both"})
_NO_COST = Text("0 € (temps interne)", "0 € (internal time)")

CANDIDATES: tuple[_Candidate, ...] = (
    _Candidate(
        "editorial_line", Dimension.STRATEGY, 1.0, ALL_MARKETS, _not_yes("strategy"),
        Text("Poser une stratégie et une ligne éditoriale",
             "Set a strategy and an editorial line"),
        Text("Réunir les personnes concernées, fixer les objectifs, le ton, l'identité visuelle, "
             "l'histoire de l'entreprise et les formats, puis planifier un calendrier de "
             "publication sur plusieurs mois.",
             "Gather the people concerned, set the objectives, tone, visual identity, company "
             "story and formats, then plan a publication calendar over several months."),
        Text("2 demi-journées", "2 half-days"), _NO_COST,
    ),
    _Candidate(
        "linkedin_page", Dimension.PRESENCE, 0.9, B2B, _lacks_networks("net_linkedin"),
        Text("Ouvrir une page entreprise LinkedIn", "Open a LinkedIn company page"),
        Text("Le réseau des acheteurs, partenaires et candidats en B2B : une page complète "
             "(logo, description, offres) relayée par les salariés.",
             "The network of B2B buyers, partners and candidates: a complete page (logo, "
             "description, offers) relayed by the staff."),
        Text("1 demi-journée", "half a day"), _NO_COST,
    ),
    _Candidate(
        "customer_networks", Dimension.PRESENCE, 0.9, B2C,
        _lacks_networks("net_facebook", "net_instagram"),
        Text("Être présent là où sont vos clients", "Be present where your customers are"),
        Text("Ouvrir un compte sur les réseaux que vos clients utilisent (Facebook, "
             "Instagram), avec les informations pratiques à jour.",
             "Open an account on the networks your customers use (Facebook, Instagram), "
             "with up-to-date practical information."),
        Text("1 demi-journée", "half a day"), _NO_COST,
    ),
    _Candidate(
        "leader_voice", Dimension.LEADER, 0.9, ALL_MARKETS, _low("leader_activity"),
        Text("S'impliquer personnellement comme dirigeant", "Get involved as the leader"),
        Text("L'appétence du dirigeant est le premier moteur de l'activité : publier soi-même "
             "régulièrement, commenter et relayer les contenus de l'entreprise.",
             "The leader's appetite is the strongest driver of activity: post in person "
             "regularly, comment on and share the company's content."),
        Text("1 heure par semaine", "1 hour a week"), _NO_COST,
    ),
    _Candidate(
        "entry_budget", Dimension.MEANS, 0.8, ALL_MARKETS,
        lambda a: code(a, "spend") not in {"10k_50k", "ge_50k"},
        Text("Donner à la présence des moyens minimaux", "Give the presence minimum means"),
        Text("Prévoir le ticket d'entrée de l'étude, environ 10 k€ par an personnel compris, "
             "avec un peu de promotion payante pour que les publications soient vues.",
             "Budget the study's entry ticket, about 10 k€ a year staff included, with some "
             "paid promotion so that posts are seen."),
        Text("2 à 4 heures par semaine", "2 to 4 hours a week"),
        Text("≈ 10 k€ par an, personnel compris", "≈ 10 k€ a year, staff included"),
    ),
    _Candidate(
        "train_staff", Dimension.SKILLS, 0.8, ALL_MARKETS, _not_yes("staff_trained"),
        Text("Former la personne qui anime les comptes", "Train the person who runs the accounts"),
        Text("Une formation courte aux usages professionnels des réseaux (rédaction, visuels, "
             "publicité, mesure) : le personnel formé est un moteur majeur de l'activité.",
             "A short course in professional use of the networks (writing, visuals, "
             "advertising, measurement): trained staff are a major driver of activity."),
        Text("1 à 2 jours", "1 to 2 days"),
        Text("≈ 1 à 2 k€ (souvent finançable par l'OPCO)", "≈ 1 to 2 k€"),
    ),
    _Candidate(
        "b2b_prospecting", Dimension.ACTIVITY, 0.7, B2B, _lacks("actions", "prospect"),
        Text("Prospecter sur LinkedIn", "Prospect on LinkedIn"),
        Text("Identifier les décideurs de vos comptes cibles, entrer en relation, partager des "
             "contenus utiles à vos clients plutôt que des annonces.",
             "Identify decision-makers at your target accounts, connect, and share content "
             "useful to your customers rather than announcements."),
        Text("2 heures par semaine", "2 hours a week"), _NO_COST,
    ),
    _Candidate(
        "b2b_employer_brand", Dimension.ACTIVITY, 0.6, B2B, _lacks("actions", "recruit"),
        Text("Recruter et soigner votre marque employeur",
             "Recruit and build your employer brand"),
        Text("Publier vos offres, montrer les métiers et les équipes, faire relayer par les "
             "salariés : les réseaux touchent aussi les candidats qui ne cherchent pas.",
             "Post your openings, show the jobs and the teams, have staff share them: networks "
             "also reach candidates who are not looking."),
        Text("1 heure par semaine", "1 hour a week"), _NO_COST,
    ),
    _Candidate(
        "b2b_sector_watch", Dimension.ACTIVITY, 0.5, B2B, _lacks("actions", "market_watch"),
        Text("Mettre en place une veille sectorielle sur LinkedIn",
             "Set up a sector watch on LinkedIn"),
        Text("Suivre clients, concurrents, fédérations et leaders d'opinion de votre secteur "
             "pour repérer tendances, appels d'offres et signaux faibles.",
             "Follow customers, competitors, trade bodies and opinion leaders in your sector "
             "to spot trends, tenders and weak signals."),
        Text("30 minutes par semaine", "30 minutes a week"), _NO_COST,
    ),
    _Candidate(
        "b2c_community", Dimension.ACTIVITY, 0.7, B2C,
        lambda a: _low("activity")(a) or not chosen(a, "actions") & {"photos", "share_content"},
        Text("Animer une communauté", "Build a community"),
        Text("Publier régulièrement des photos, coulisses et nouveautés sur les réseaux de vos "
             "clients, répondre aux commentaires, associer vos clients (avis, concours).",
             "Post photos, behind-the-scenes and news regularly on your customers' networks, "
             "answer comments, involve your customers (reviews, contests)."),
        Text("3 heures par semaine", "3 hours a week"), _NO_COST,
    ),
    _Candidate(
        "b2c_customer_service", Dimension.ACTIVITY, 0.6, B2C,
        _lacks("actions", "customer_service"),
        Text("Assurer le service client sur les réseaux",
             "Provide customer service on the networks"),
        Text("Répondre aux messages et avis sous 24 heures sur Facebook et Instagram : vos "
             "clients y posent déjà leurs questions.",
             "Answer messages and reviews within 24 hours on Facebook and Instagram: your "
             "customers already ask their questions there."),
        Text("30 minutes par jour", "30 minutes a day"), _NO_COST,
    ),
    _Candidate(
        "measure", Dimension.STRATEGY, 0.3, ALL_MARKETS, lambda a: True,
        Text("Relier les actions aux objectifs et mesurer",
             "Link actions to objectives and measure"),
        Text("Pour chaque objectif (visibilité, clients, recrutement), choisir un indicateur "
             "et le suivre chaque mois ; ajuster le calendrier en conséquence.",
             "For each objective (visibility, customers, recruitment) pick one indicator and "
             "follow it monthly; adjust the calendar accordingly."),
        Text("1 heure par mois", "1 hour a month"), _NO_COST,
    ),
    _Candidate(
        "paid_promotion", Dimension.MEANS, 0.3, ALL_MARKETS, _lacks("actions", "advertising"),
        Text("Tester la promotion payante", "Try paid promotion"),
        Text("Sponsoriser vos meilleures publications auprès d'une cible précise (métier, "
             "région, centres d'intérêt) et comparer leur portée aux autres.",
             "Sponsor your best posts to a precise audience (job, region, interests) and "
             "compare their reach with the others."),
        Text("1 heure par mois", "1 hour a month"),
        Text("quelques centaines d'euros par campagne", "a few hundred euros a campaign"),
    ),
    _Candidate(
        "staff_advocacy", Dimension.SKILLS, 0.2, ALL_MARKETS, lambda a: True,
        Text("Faire des salariés des ambassadeurs", "Make your staff ambassadors"),
        Text("Proposer aux volontaires de relayer les contenus de l'entreprise et de partager "
             "leur métier : leurs réseaux élargissent fortement la portée.",
             "Invite volunteers to share the company's content and talk about their work: "
             "their networks widen the reach a lot."),
        Text("30 minutes par semaine", "30 minutes a week"), _NO_COST,
    ),
    _Candidate(
        "yearly_review", Dimension.STRATEGY, 0.1, ALL_MARKETS, lambda a: True,
        Text("Faire le point chaque année", "Review once a year"),
        Text("Refaire ce diagnostic à chaque vague du baromètre et comparer votre progression "
             "à celle de vos pairs.",
             "Take this diagnostic again at each wave of the barometer and compare your "
             "progress with your peers'."),
        Text("1 heure par an", "1 hour a year"), _NO_COST,
    ),
)  # fmt: skip


def action_plan(answers: Answers, score: MaturityScore) -> ActionPlan:
    """Choose and order 3-5 steps for one firm from its gaps, its scores and its market."""
    firm_market = code(answers, "market") or ""
    ranked: list[tuple[float, int, _Candidate]] = []
    for order, candidate in enumerate(CANDIDATES):
        if firm_market not in candidate.markets or not candidate.gap(answers):
            continue
        measured = score.dimension(candidate.dimension)
        gap = 100 - (measured.score if measured is not None else 50)
        ranked.append((candidate.weight * gap, order, candidate))
    # A firm with no account at all first needs to exist where its market is.
    if is_present(answers) is not True:  # not known to be present: treated as absent
        ranked = [
            (r + 1000 if c.dimension is Dimension.PRESENCE else r, o, c) for r, o, c in ranked
        ]
    ranked.sort(key=lambda item: (-item[0], item[1]))
    chosen_steps = [c for rank, _, c in ranked if rank > 0][:MAX_STEPS]
    # The plan always speaks to the firm's market: keep its best market step in the plan.
    market_steps = [c for _, _, c in ranked if c.markets != ALL_MARKETS]
    if market_steps and not any(c in market_steps for c in chosen_steps):
        chosen_steps = [*chosen_steps[: MAX_STEPS - 1], market_steps[0]]
    if len(chosen_steps) < MIN_STEPS:
        rest = [c for _, _, c in ranked if c not in chosen_steps]
        chosen_steps += rest[: MIN_STEPS - len(chosen_steps)]
    steps = tuple(
        ActionStep(i, c.code, c.dimension, c.title, c.detail, c.time, c.budget)
        for i, c in enumerate(chosen_steps, start=1)
    )
    return ActionPlan(firm_market or None, steps, ENTRY_BUDGET, ENTRY_TIME)
