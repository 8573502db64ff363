"""The demo site's articles as data: site identity, sections, authors, stories.

Everything here is original, invented text. A story is one line of
``headline | subject | place | organisation | quoted person [| new headline]``;
the bodies are composed from these slots by :mod:`archiver.demo.compose`.
The optional last field is the headline used when edition 2 changes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SITE_NAME = "The Meridian Ledger"
SITE_TAGLINE = "Independent reporting on a world in motion"
BRIEF_NAME = "The Brief"

#: The pages the footer, the masthead and the paywall link to (not articles): path -> heading, paragraphs.
SERVICE_PAGES = {
    "/about/": ("About us", [
        f"{SITE_NAME} is an invented newspaper: the demo site of archiver, served on this machine.",
        "Its stories change between editions so that a crawl has something to archive.",
    ]),
    "/contact/": ("Contact", ["Write to the newsroom at newsroom@meridian-ledger.invalid."]),
    "/subscribe": ("Subscribe", ["Every story on this site is free to read. There is nothing to buy."]),
    "/login": ("Log in", ["Subscribers log in here. This demo site has no accounts."]),
    "/newsletters/": ("Newsletters", [f"{BRIEF_NAME} arrives every morning; in this demo, it never does."]),
    "/privacy/": ("Privacy policy", ["This site sets no cookies and keeps no record of its readers."]),
    "/terms/": ("Terms of use", ["The text of this site is invented; use it for testing as you like."]),
}

#: Section slug -> label, in menu order.
SECTIONS = {
    "world": "World",
    "security": "Security",
    "technology": "Technology",
    "economy": "Economy",
    "climate": "Climate",
    "culture": "Culture",
}


@dataclass(frozen=True)
class Author:
    """A person who writes for the site, with the one bio every page shows."""

    slug: str
    name: str
    bio: str


def _author(name: str, bio: str) -> Author:
    return Author(slugify(name), name, bio)


def slugify(text: str) -> str:
    """Lowercase ``text`` and join its words with hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


AUTHORS = [
    _author(
        "Margot Ellery",
        "Margot Ellery is the former Deputy Director of the National Counterintelligence "
        "Office, where she led the analytic division for nine years. She is currently a "
        "senior fellow at the Halden Institute for Strategic Studies.",
    ),
    _author(
        "Desmond Achebe-Lowe",
        "Desmond Achebe-Lowe is a former ambassador to the Nordic Council states and served "
        "two terms as chief negotiator on maritime boundaries. He is currently a visiting "
        "professor of diplomacy at Ravensmoor University.",
    ),
    _author(
        "Ilona Varga-Pratt",
        "Ilona Varga-Pratt covers economics and trade for The Meridian Ledger. Before joining "
        "the paper she spent six years as a markets reporter in Frankfurt and Singapore.",
    ),
    _author(
        "Caleb Thornquist",
        "Caleb Thornquist is the Ledger's technology correspondent. He previously worked as a "
        "software engineer and writes about infrastructure, privacy and the people who "
        "maintain the systems everyone depends on.",
    ),
    _author(
        "Priyanka Desai-Moore",
        "Priyanka Desai-Moore is the Ledger's climate and environment editor. She has "
        "reported from four continents on drought, floods and the politics of adaptation, "
        "and holds a degree in hydrology.",
    ),
    _author(
        "Tobias Wren",
        "Tobias Wren is the former head of cyber operations at the Joint Signals Command. He "
        "is currently a partner at a risk advisory firm, where he advises hospitals and "
        "utilities on incident response.",
    ),
    _author(
        "Anneliese Kroft",
        "Anneliese Kroft writes about books, theatre and the arts for the Ledger. She is the "
        "author of two essay collections and teaches a weekly writing workshop at a public "
        "library.",
    ),
    _author(
        "Rafael Inchausti",
        "Rafael Inchausti is the Ledger's foreign affairs correspondent, based in Lisbon. He "
        "has covered elections, migration and regional diplomacy for more than a decade.",
    ),
    _author(
        "Helen Okonkwo-Barry",
        "Helen Okonkwo-Barry is the former Assistant Director for Analysis at the Defence "
        "Intelligence Staff. She is currently chair of the advisory board at the Centre for "
        "Space Security.",
    ),
    _author(
        "Matthias Lund",
        "Matthias Lund is a former chief economist at the Ministry of Finance. He is "
        "currently a columnist for the Ledger and a research associate at the Institute for "
        "Fiscal Resilience.",
    ),
    _author(
        "Sunniva Hale",
        "Sunniva Hale is a staff reporter covering cities, transport and housing. She joined "
        "the Ledger in 2021 from a regional daily, where she led the local government desk.",
    ),
    _author(
        "Gideon Marsh-Ito",
        "Gideon Marsh-Ito is a data journalist who builds the Ledger's charts and "
        "investigations. He was previously a statistician at a public health agency.",
    ),
]

AUTHORS_BY_SLUG = {a.slug: a for a in AUTHORS}

#: Section -> the writers who usually cover it (first is the lead writer).
SECTION_WRITERS = {
    "world": ["rafael-inchausti", "desmond-achebe-lowe", "sunniva-hale"],
    "security": ["margot-ellery", "tobias-wren", "helen-okonkwo-barry"],
    "technology": ["caleb-thornquist", "gideon-marsh-ito", "tobias-wren"],
    "economy": ["ilona-varga-pratt", "matthias-lund", "sunniva-hale"],
    "climate": ["priyanka-desai-moore", "gideon-marsh-ito", "sunniva-hale"],
    "culture": ["anneliese-kroft", "sunniva-hale", "rafael-inchausti"],
}

#: Section -> tags used by the blog template.
SECTION_TAGS = {
    "world": ["diplomacy", "elections", "migration", "transport"],
    "security": ["cyber", "defence", "intelligence", "space"],
    "technology": ["infrastructure", "privacy", "hardware", "research"],
    "economy": ["inflation", "trade", "labour", "housing"],
    "climate": ["adaptation", "energy", "nature", "water"],
    "culture": ["books", "music", "heritage", "festivals"],
}

_STORIES = {
    "world": """
Coastal States Agree on Shared Rules for Fishing Quotas | the shared fishing-quota framework | the North Atlantic | the Coastal States Council | Commissioner Halvard Breen
Border Towns Prepare for Reopened Rail Crossing | the reopened rail crossing | the eastern border districts | the regional transport authority | Mayor Teodora Lisk
Election Observers Report Long Queues but Few Incidents | the observer mission's preliminary findings | the capital's outer districts | the Independent Electoral Commission | Chief Observer Amara Okafor | Observers Say Election Was Orderly Despite Hours-Long Queues
Drought Relief Convoy Reaches Northern Provinces | the relief convoy | the northern provinces | the Emergency Relief Coordination Office | Field Director Samir Haddou
Parliament Debates Limits on Foreign Land Purchases | the proposed limits on foreign land purchases | the southern farm belt | the parliamentary agriculture committee | Deputy Rosalind Achterberg
River Treaty Talks Resume After Two-Year Pause | the river-sharing treaty | the upper river basin | the Joint Basin Commission | Negotiator Farid Nasser
Island Nations Press for Faster Disaster Financing | the disaster financing facility | the southern island states | the Island States Forum | Finance Minister Mele Fakatava
Capital's New Metro Line Opens Months Behind Schedule | the new metro line | the capital | the metropolitan transit agency | Transit Director Jonas Weil | New Metro Line Opens Late and Over Budget, Audit Finds
Refugee Resettlement Program Expands to Three More Cities | the resettlement program | three mid-sized cities | the national migration office | Program Lead Dalia Ferreira
Regional Bloc Weighs Common Visa for Seasonal Workers | the common seasonal-work visa | the regional bloc's member states | the bloc's labour secretariat | Secretary-General Ivo Marchetti | Regional Bloc Moves Closer to a Common Seasonal Work Visa
Ceasefire Monitors Extend Mission Along Disputed Valley | the monitoring mission | the disputed valley | the ceasefire monitoring group | Colonel Aino Lehtonen
Historic Port City Votes to Limit Cruise Ship Visits | the cap on cruise ship visits | the old port city | the city council | Councillor Beatriz Quental
""",
    "security": """
Inside the Quiet Race to Secure Undersea Cables | undersea cable protection | the North Sea | the Maritime Security Directorate | Rear Admiral Colm Faherty
Why Drone Incursions Keep Testing Air Defences | low-cost drone incursions | the alliance's eastern flank | the air defence command | General Petra Novakova | Cheap Drones Are Exposing Gaps in Air Defences
Ransomware Crews Shift Focus to Regional Hospitals | ransomware attacks on hospitals | the western health region | the National Cyber Response Centre | Director Owen Marsh
A New Doctrine for Space-Based Early Warning | space-based early warning | the capital | the Space Operations Command | Lt. Gen. Harriet Cole
Intelligence Sharing Pact Faces Privacy Challenge | the intelligence sharing pact | the partner capitals | the joint oversight board | Commissioner Lena Vogt | Privacy Watchdog Challenges Intelligence Sharing Pact
Election Interference Playbook Moves to Encrypted Apps | foreign influence operations | the border provinces | the Election Integrity Task Force | Analyst Rafael Duarte
Arms Control Verification Gets a Satellite Upgrade | satellite-based verification | the treaty's inspection zones | the Verification Agency | Inspector General Yusuf Demir
Port Authorities Rethink Insider Threat Screening | insider threat screening | the southern port cities | the Port Security Authority | Chief Inspector Greta Lund
Critical Minerals Emerge as a National Security Priority | critical minerals supply chains | the northern mining districts | the Defence Industrial Council | Deputy Secretary Marcus Webb | Critical Minerals Move to the Top of the Security Agenda
Counterterrorism Units Adapt to Lone-Actor Threats | lone-actor threat detection | the metropolitan region | the Counterterrorism Coordination Centre | Commander Nadia Rahman
The Hidden Cost of Ageing Military Satellites | ageing military satellites | the coastal garrison towns | the Defence Procurement Agency | Program Manager Kofi Mensah
Allies Test a Shared Cyber Defence Exercise at Scale | the shared cyber defence exercise | the allied capitals | the Cyber Defence Cooperation Office | Colonel Ingrid Solberg
""",
    "technology": """
Chipmakers Race to Build Plants Closer to Customers | new chip fabrication plants | the industrial corridor | the Semiconductor Manufacturers Association | Chief Economist Priya Raman
Open-Source Maintainers Push for Sustainable Funding | open-source maintenance funding | the university towns | the Open Infrastructure Foundation | Executive Director Tomas Ek
City Pilots Driverless Buses on Night Routes | the driverless night-bus pilot | the city centre | the municipal mobility office | Project Lead Hana Sato | Driverless Night Buses Begin Carrying Passengers
Battery Recycling Startups Draw Record Investment | battery recycling | the western industrial parks | the Battery Circularity Council | Founder Leo Marchand
Regulators Question Data Practices of Fitness Apps | fitness app data practices | the capital region | the Data Protection Authority | Commissioner Aline Dufresne
Rural Broadband Rollout Hits Permit Bottleneck | the rural broadband rollout | the hill counties | the Digital Infrastructure Agency | Rollout Director Evan Pryce | Permit Delays Stall Rural Broadband Rollout
Universities Open Shared Quantum Computing Lab | the shared quantum computing lab | the university district | the National Research Council | Professor Miriam Adeyemi
Satellite Internet Providers Clash Over Spectrum | the contested spectrum band | remote northern communities | the Communications Regulator | Spokesperson Daniel Kerr
Hospitals Test AI Triage Tools With Caution | AI-assisted triage | the southern health district | the Health Technology Assessment Board | Dr. Elena Markovic | Hospitals Slow the Rollout of AI Triage Tools
Smart Meter Upgrade Stumbles Over Old Firmware | the smart meter upgrade | the outer suburbs | the Energy Networks Association | Technical Director Ravi Kulkarni
Repair Rules Force Phone Makers to Stock Spare Parts | the right-to-repair rules | the larger cities | the Consumer Standards Office | Policy Director Julia Brandt
Archivists Warn of a Growing Digital Dark Age | the preservation of born-digital records | the old capital | the National Archives Service | Chief Archivist Simon Okoro
""",
    "economy": """
Central Bank Holds Rates as Inflation Cools Slowly | the benchmark interest rate | the financial district | the central bank | Governor Elisabeth Rourke | Central Bank Keeps Rates on Hold and Signals Patience
Small Exporters Feel the Pinch of Higher Shipping Costs | rising shipping costs | the manufacturing regions | the Small Exporters Federation | Chair Gustavo Reis
Housing Starts Rebound in Commuter Towns | new housing construction | the commuter belt | the Home Builders Council | Analyst Fiona Gallagher
Farm Incomes Squeezed by Fertiliser Prices | fertiliser costs | the grain-growing regions | the Farmers' Union | President Arjen de Wit | Fertiliser Prices Cut Deep Into Farm Incomes
Pension Funds Shift Toward Infrastructure Bonds | infrastructure bond investment | the financial capital | the Pension Investors Association | Chief Investment Officer Naomi Blake
Retailers Brace for a Cautious Spending Season | consumer spending | provincial towns | the Retail Trade Council | Economist Mateo Alvarez
Minimum Wage Review Sparks Debate Over Regional Rates | the minimum wage review | lower-cost regions | the Low Pay Commission | Commissioner Ruth Adebayo
Tourism Revenues Beat Forecasts Despite Strong Currency | tourism revenue | the coastal resorts | the National Tourism Board | Director Katrin Holm
Steelworks Bets on Hydrogen to Stay Competitive | the hydrogen steelmaking conversion | the old steel town | the Steel Producers Association | Plant Manager Viktor Horvat | Steelworks Commits to Hydrogen in Bid to Survive
Gig Workers Win Access to Sick Pay Scheme | the sick pay scheme for gig workers | the big cities | the Labour Ministry | Minister Chloe Asante
Trade Deficit Narrows as Energy Imports Fall | the trade balance | the export hubs | the Statistics Office | Chief Statistician Henrik Dahl
Credit Unions Step Into Small Business Lending Gap | small business lending | market towns | the Credit Union League | Chief Executive Orla Byrne
""",
    "climate": """
Coastal Towns Weigh Managed Retreat From Rising Seas | managed retreat | low-lying coastal towns | the Coastal Adaptation Agency | Planner Maeve Donnelly
Heat Action Plans Spread to Mid-Sized Cities | heat action planning | mid-sized cities | the Public Health Institute | Dr. Tariq Aziz | Mid-Sized Cities Adopt Heat Action Plans Ahead of Summer
Peatland Restoration Pays Off in Carbon Storage | peatland restoration | the upland moors | the Nature Recovery Trust | Ecologist Freya Lindqvist
Grid Operators Struggle to Connect New Wind Farms | grid connections for wind farms | the coastal counties | the Transmission System Operator | Connections Manager Paul Ndlovu
Glacier Monitoring Network Records Another Record Melt | glacier monitoring | the alpine valleys | the Glaciology Service | Researcher Anja Keller
Farmers Turn to Drought-Tolerant Crops | drought-tolerant crop varieties | the dry interior plains | the Agricultural Research Institute | Agronomist Lucia Moreno
Wildfire Season Starts Earlier Across the South | early wildfire activity | the southern forests | the Forest Fire Service | Chief Officer Diego Santos | Wildfire Season Arrives Weeks Early in the South
Cities Replace Asphalt With Trees to Cool Streets | street tree planting | dense inner neighbourhoods | the Urban Greening Office | Landscape Architect Noor Haddad
Flood Insurance Costs Climb in River Valleys | flood insurance premiums | the river valleys | the Insurance Council | Risk Analyst Oliver Grant
Heat Pump Installations Double in a Year | heat pump adoption | older housing estates | the Energy Savings Trust | Program Director Ines Castro
Wetland Birds Return After Drainage Ditches Are Blocked | wetland rewetting | the lowland marshes | the Wildlife Conservancy | Warden Hugh Pennington
Ports Electrify Quays to Cut Ship Emissions | shore power for ships | the busiest ferry ports | the Ports Decarbonisation Alliance | Engineer Sofia Petrakis
""",
    "culture": """
Regional Museums Share a Touring Collection | the touring collection | the regions | the Museums Network | Curator Agnes Whitlock
Independent Bookshops Report a Surprise Revival | independent bookselling | market towns | the Booksellers Guild | Chair Rupert Ames | Bookshops Defy Expectations With a Surprise Revival
Film Festival Opens With Debut From Coastal Director | the festival's opening film | the harbour town | the festival programme board | Artistic Director Celine Moreau
Public Libraries Extend Evening Hours | extended library hours | the city | the Libraries Service | Head Librarian Joan Mbeki
Choirs Rebuild Membership After Lean Years | community choir membership | villages and suburbs | the Choral Federation | Director Bernard Klee
Restored Theatre Reopens After Decade of Work | the theatre restoration | the old town | the Heritage Buildings Trust | Architect Yara Mansour | Restored Theatre Reopens Its Doors After Ten Years
Street Art Festival Invites Residents to Pick Walls | the street art festival | the riverside district | the neighbourhood arts council | Organiser Kai Brennan
Translation Grants Bring Lesser-Known Novels to New Readers | the translation grant scheme | the university city | the Literature Council | Program Officer Ana Kovac
Music Schools Struggle to Replace Retiring Teachers | music teacher recruitment | rural counties | the Music Education Association | Principal Gareth Rhys
Archive Reveals Letters of a Forgotten Poet | the poet's recovered letters | the cathedral city | the Manuscripts Department | Archivist Helena Voss
Craft Breweries Become Community Hubs | the craft brewery scene | the old mill towns | the Independent Brewers Association | Founder Tessa Morgan
Dance Company Takes Performances to Care Homes | the care home performance tour | the western region | the National Dance Company | Choreographer Luis Ortega
""",
}


@dataclass(frozen=True)
class Story:
    """One story's fixed facts; ``number`` is its position within its section."""

    section: str
    number: int
    headline: str
    subject: str
    place: str
    org: str
    person: str
    new_headline: str | None = None

    @property
    def slug(self) -> str:
        """URL slug made from the edition-1 headline."""
        return slugify(self.headline)


def _parse_story(section: str, number: int, line: str) -> Story:
    fields = [part.strip() for part in line.split("|")]
    headline, subject, place, org, person = fields[:5]
    new_headline = fields[5] if len(fields) > 5 else None
    return Story(section, number, headline, subject, place, org, person, new_headline)


def stories_by_section() -> dict[str, list[Story]]:
    """Section slug -> its stories in publication order."""
    return {
        section: [
            _parse_story(section, number, line)
            for number, line in enumerate(block.strip().splitlines())
        ]
        for section, block in _STORIES.items()
    }
