"""Banks of original sentences and boilerplate text the demo site is built from.

Sentence templates use ``str.format`` slots filled per story and per article:
``{subject} {place} {org} {Org} {person} {surname} {pct} {pct2} {pct3} {count}
{money} {month} {month_next} {prev_year} {weekday} {small} {medium}``.
Subjects always follow a preposition or verb, so any noun phrase reads well.
"""

SENTENCES = {
    "lede": [
        "Officials in {place} spent much of the past week defending their approach to {subject}, as pressure from several directions continued to build.",
        "{Org} signalled on {weekday} that it is ready to change course on {subject}, ending months of cautious silence.",
        "A long-awaited review of {subject} has landed on the desks of decision-makers in {place}, and its conclusions are sharper than many expected.",
        "For most people in {place}, the argument over {subject} used to feel remote. That is starting to change.",
        "The latest figures on {subject} suggest that the situation in {place} is shifting faster than planners had assumed.",
        "When {org} first raised concerns about {subject}, few outside a small circle of specialists paid attention.",
        "A quiet consensus is forming in {place} around {subject}, though the details remain fiercely contested.",
        "Plans for {subject} took a significant step forward this month after {org} published a detailed timetable.",
    ],
    "context": [
        "The issue has been building in {place} for several years, and earlier attempts to address it stalled over funding and jurisdiction.",
        "Much of the groundwork was laid in {prev_year}, when a cross-party group first set out the options.",
        "Critics argue that the rules {org} applies were designed for a different era and have not kept pace with events.",
        "Supporters of the plans drawn up by {org} say the changes are modest and long overdue, while opponents warn of unintended consequences.",
        "The debate has exposed familiar divisions between national priorities and the needs of local communities.",
        "Several neighbouring jurisdictions have already moved in the same direction, which has added to the sense of urgency.",
        "The timing is not accidental: a budget deadline and a string of public hearings in {place} have concentrated minds.",
        "People familiar with the discussions said the most difficult questions concern who pays and who decides.",
        "Previous reviews commissioned by {org} reached similar conclusions but were shelved before any of their recommendations were adopted.",
    ],
    "quote": [
        "“We have been clear from the start that doing nothing is not an option,” said {person}.",
        "{person} described the proposals as “a practical first step rather than a final answer.”",
        "“The hard part is not the plan itself but keeping people on board while it is carried out,” {person} said in an interview.",
        "Asked whether the timetable was realistic, {person} said it was “ambitious but achievable if everyone does their share.”",
        "“There is a lot of goodwill, but goodwill does not pay for anything,” said {person}, who has followed the issue for years.",
    ],
    "quote_follow": [
        "{surname} acknowledged that mistakes had been made in the early stages and said lessons had been learned.",
        "“We are listening, and we will adjust where the evidence tells us to,” {surname} added.",
        "{surname} declined to say whether further measures were being prepared.",
        "In a separate statement, {org} said it welcomed scrutiny and would publish its own assessment in the coming weeks.",
    ],
    "data": [
        "According to figures compiled by {org}, the relevant measure rose by {pct} percent over the past year.",
        "Around {count} people are directly affected, a number that is expected to grow.",
        "The estimated cost over five years is {money}, roughly {pct2} percent more than the original projection.",
        "A survey conducted in {month} found that {pct3} percent of respondents in {place} supported further action.",
        "Independent analysts put the likely figure somewhat lower, citing gaps in the underlying data.",
        "The numbers vary widely from one district to another, which complicates any single national response.",
        "Since {prev_year}, spending in this area has roughly doubled, though much of it has gone on administration.",
        "Only {small} of the {medium} projects announced so far have moved beyond the planning stage.",
    ],
    "reaction": [
        "Local groups in {place} gave the announcement a mixed reception.",
        "Some welcomed the clarity, while others said they had not been properly consulted.",
        "Business representatives cautioned that sudden changes could deter investment at a delicate moment.",
        "Opposition figures called for an independent review and for the full documents to be made public.",
        "Residents who attended a public meeting last week raised questions about timing, cost and accountability.",
        "Trade unions said they would support the measures provided that workers were protected during the transition.",
        "Academics who study {subject} broadly agreed with the diagnosis but questioned the proposed remedy.",
        "Several smaller organisations said they lacked the staff to meet the new requirements in time.",
    ],
    "analysis": [
        "The strategic logic here is easy to miss if one looks only at the headlines.",
        "In my experience, the most consequential decisions in this field are rarely the most visible ones.",
        "What matters in {place} is not any single measure but the way the pieces fit together over time.",
        "Adversaries and competitors alike will be watching closely for signs of hesitation.",
        "The lesson from earlier episodes is that capability without a clear plan for its use rarely deters anyone.",
        "Policymakers would do well to resist the temptation to treat {subject} as a purely technical matter.",
        "The risk is that attention to {subject} fades once the immediate pressure passes, as it has before.",
        "There is no shortage of good ideas about {subject}; the shortage is in sustained attention and money.",
    ],
    "outlook": [
        "A final decision is expected before the end of {month_next}.",
        "{Org} is due to report back on progress in the autumn, when the first results should be visible.",
        "Much will depend on whether funding promised this year survives the next budget round.",
        "Observers say the coming months will show whether the new approach can deliver more than its predecessors.",
        "For now, the people most affected in {place} are being asked to wait, and patience is wearing thin.",
        "If the pilot succeeds, officials say it could be extended well beyond {place}.",
        "The next test comes at a hearing scheduled for {month_next}, where the details will be examined line by line.",
        "Whatever the outcome, few expect the debate over {subject} to fade any time soon.",
    ],
}

#: Paragraph role -> roles its extra sentences may come from.
FILLERS = {
    "lede": ["context", "data"],
    "context": ["context", "data", "reaction"],
    "quote": ["quote_follow", "context"],
    "data": ["data", "context"],
    "reaction": ["reaction", "context"],
    "analysis": ["analysis", "context"],
    "outlook": ["outlook", "reaction"],
}

SUBHEADINGS = [
    "What changes now",
    "The numbers behind it",
    "Why it matters",
    "What critics say",
    "What comes next",
    "A closer look",
]

LIST_INTROS = [
    "The main proposals on the table include:",
    "Among the measures under discussion are:",
    "The review sets out several priorities:",
]

LIST_ITEMS = [
    "a clearer timetable for {subject}",
    "independent monitoring of how the money is spent",
    "regular public reporting by {org}",
    "targeted support for the communities most affected in {place}",
    "a review clause that takes effect after two years",
    "a single point of contact for complaints and appeals",
]

CORRECTIONS = [
    "Correction: An earlier version of this article misstated the year in which the cross-party group first set out its options. It was {prev_year}, not {next_prev_year}.",
    "Correction: An earlier version of this article misstated the title of {person}. The title has been corrected.",
    "Correction: An earlier version of this article misstated the name of the body responsible. It is {org}.",
]

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

# --- rotating boilerplate -------------------------------------------------

TESTIMONIALS = [
    ("The Meridian Ledger has become required reading for anyone who needs to understand where the next crisis is coming from.", "—Sept. 2018, The Harbor Review"),
    ("Few publications manage to be this rigorous and this readable at the same time.", "—March 2019, Northgate Quarterly"),
    ("A rare place where former practitioners write plainly about what they actually saw.", "—Nov. 2020, The Civic Standard"),
    ("Sharp, sober and consistently ahead of the news cycle.", "—June 2021, Ashford Weekly"),
]

PAYWALL_PITCHES = [
    "Subscriber+ Members get unlimited access to expert analysis, weekly briefings and members-only events.",
    "Join Subscriber+ today and read every column, every briefing and every interview from our network of experts.",
    "Members support independent analysis and receive the Morning Brief before anyone else.",
]

NEWSLETTERS = [
    ("The Morning Ledger", "The five stories you need before nine o'clock, delivered every weekday."),
    ("Ledger Weekend", "Long reads, quiet analysis and one good recommendation, every Saturday morning."),
    ("The Dispatch", "Our correspondents on what happened today and why it matters, every evening."),
]

ADS = [
    "Harwick & Sons Outdoor Gear — Spring sale on all hiking boots. Free returns.",
    "Fly Coastline Air to 40 cities this summer. Fares from €49.",
    "Stillwater Bank: a savings account that pays you back. Terms apply.",
    "Learn a language in ten minutes a day with Polyglotta. Try it free.",
    "Northfield Orchards cider — brewed slowly, since 1911.",
    "Upgrade your home office: Lumen desk lamps, 30% off this week.",
]

COOKIE_TEXT = (
    "We use cookies to keep the site working, to understand how it is used and to show "
    "relevant advertising. You can accept all cookies or manage your preferences."
)

COMMENTERS = ["Ruth P.", "daniel_k", "Marisol Vega", "Old Harbour Hand", "J. Okafor",
              "bookish_ben", "Ingrid", "T. Whelan", "Sam from the valley"]

COMMENTS = [
    "Good piece. I would have liked more detail on who actually pays for this.",
    "We saw the same thing happen in our town a few years ago. Nobody followed up afterwards.",
    "Thanks for explaining this clearly. The official documents are impossible to read.",
    "I am not convinced the numbers add up, but it is a start.",
    "Interesting that nobody from the local council was quoted.",
    "This is the kind of reporting we need more of. Subscribed.",
    "Does anyone know when the consultation closes?",
]

# --- in-body rotating blocks (editions 3 and 4) ------------------------------

#: Captions of an article's own lead image (story slots); it never rotates.
LEAD_CAPTIONS = [
    "A view across {place} on the morning the plans for {subject} were announced.",
    "People gather outside the offices of {org} in {place}.",
    "{person} speaking to reporters in {place} earlier this year.",
    "The debate over {subject} has drawn crowds to public meetings across {place}.",
]
PHOTO_CREDITS = ["Ana Ruiz", "Tom Becker", "Lina Haddad", "Pieter Vos", "Grace Mwangi", "Jonas Berg"]

#: Titles and frame captions of the photo galleries embedded between paragraphs.
GALLERY_TITLES = ["The week in pictures", "Photos of the day", "Our readers' photographs",
                  "The month in pictures"]
GALLERY_CAPTIONS = [
    "Fishing boats return to harbour at first light.",
    "Commuters cross the old bridge during the evening rush.",
    "Volunteers sort donations at a community centre.",
    "Snow settles on the vineyards above the river valley.",
    "A street market opens for the first time since the spring floods.",
    "Students queue outside the examination hall.",
    "Lanterns are lit along the promenade for the autumn festival.",
]

#: Headings of headline lists between paragraphs ({site}: the site's name).
HEADLINE_HEADINGS = ["More news from {site}", "Related", "More on this story", "Read more",
                     "Related coverage"]
#: Labels of one-line "Read more" paragraphs.
READ_MORE_LABELS = ["Read more:", "Related:", "See also:", "Also read:", "READ MORE:"]

#: Calls to action: (linked text, href, text after the link).
CTAS = [
    ("Subscribe to {site} on YouTube", "https://www.youtube.com/@meridianledger",
     " for video explainers from our reporters."),
    ("Click here to get the Meridian Ledger app", "/app/", " and read the day's stories offline."),
    ("Join our forums", "/forums/", " to discuss this story with other readers."),
    ("Join the conversation", "#comments", " and tell us what you think."),
    ("Follow {site} on Facebook", "https://www.facebook.com/meridianledger",
     " for the stories our readers are talking about."),
]
