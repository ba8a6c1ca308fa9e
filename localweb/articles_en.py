"""English pages: the translation of the story, follow-ups, the "wire-1" wire story and noise.

All texts are original prose written for this test web.
"""

from __future__ import annotations

from localweb.model import Page

# Faithful English translation of the French source article (every name and number kept).
TRANSLATION_PARAGRAPHS: tuple[str, ...] = (
    "For two weeks, a young Chinese company has dominated conversations in Silicon Valley. "
    "DeepSeek, based in Hangzhou, unveiled its reasoning model DeepSeek-R1 on 20 January "
    "2025, and according to several tests it can rival the best American systems. "
    "Researchers, executives and investors are commenting on what looks like a turning point.",
    "The figure that struck people most concerns an earlier model: according to DeepSeek's "
    "technical report, the final training of DeepSeek-V3 cost about 5.6 million dollars in "
    "computing power, a trifling sum next to the hundreds of millions committed by American "
    "laboratories. This amount, however, includes neither the preliminary research, nor "
    "salaries, nor the purchase of the chips.",
    "Sam Altman, the head of OpenAI, himself praised the achievement. On the social "
    "network X, he called R1 an 'impressive' model, especially given its cost, while "
    "promising 'much better models'.",
    "For Andrew Ng, founder of DeepLearning.AI and former head of Google Brain, the "
    "episode above all shows the vitality of open source. In his view, competition among "
    "open models lowers prices, to the benefit of developers around the world.",
    "Yann LeCun, chief AI scientist at Meta, struck a similar note: in his view, DeepSeek's "
    "success is not a victory of China over the United States, but a victory of open models "
    "over proprietary ones. DeepSeek benefited from published research and from open tools "
    "such as Meta's Llama, and in turn publishes its own work.",
    "Markets reacted with less composure. On 27 January 2025, Nvidia's share price fell by "
    "nearly 17% in a single session, wiping out some 590 billion dollars in market value, the "
    "largest loss ever recorded on Wall Street. Investors are wondering whether demand for "
    "high-end chips will remain as strong.",
    "Behind DeepSeek is a discreet figure, Liang Wenfeng. A graduate of Zhejiang University, "
    "he first co-founded High-Flyer, a quantitative hedge fund based in Hangzhou, which still "
    "finances the start-up created in 2023. He gives few interviews, but repeats that his "
    "goal is fundamental research rather than immediate profitability.",
    "One question remains: has DeepSeek found a lasting recipe or merely benefited from the "
    "element of surprise? The coming months, and the response of the American giants, will "
    "tell whether this start-up has really reshuffled the cards of artificial intelligence.",
)

# Wire story "wire-1": a Meridian Wire dispatch carried by two other outlets.
_WIRE1_PARAGRAPHS: tuple[str, ...] = (
    "Nvidia shares fell 17% on Monday, wiping about $589 billion off the chipmaker's market "
    "value, the largest single-day loss for any company in US stock market history, as the "
    "rise of Chinese artificial intelligence start-up DeepSeek prompted investors to question "
    "the vast sums being spent on AI hardware.",
    "The sell-off followed a surge of attention over the weekend for DeepSeek's R1 reasoning "
    "model and its free chatbot app, which overtook OpenAI's ChatGPT at the top of Apple's US "
    "App Store. DeepSeek has said the final training run of its V3 model, on which R1 builds, "
    "cost about $5.6 million in computing power.",
    "That figure, disputed by some analysts as incomplete, suggested that competitive AI "
    "systems might be built with far fewer of the expensive processors that have made Nvidia "
    "the world's most valuable company. Nvidia closed at $118.42 and slipped to third place "
    "behind Apple and Microsoft.",
    "The rout spread across the sector. Broadcom fell 17%, and the Philadelphia semiconductor "
    "index dropped more than 9%. The tech-heavy Nasdaq Composite lost 3.1%, while the S&P 500 "
    "fell 1.5%. Power utilities that had rallied on expectations of data-centre demand also "
    "declined.",
    "In a statement, Nvidia called DeepSeek 'an excellent AI advancement' and said the "
    "company's work showed how new models could be created using widely available "
    "techniques. It added that serving such models to users, known as inference, still "
    "required significant numbers of its chips.",
    "Some investors saw an opportunity. 'Cheaper AI means more AI,' one fund manager said, "
    "arguing that lower costs would ultimately expand demand for computing rather than "
    "reduce it.",
)

PAGES: tuple[Page, ...] = (
    # (b) faithful English translation of the source on the wire/aggregator
    Page(
        outlet="meridian",
        path="/2025/02/04/what-leading-ai-figures-are-saying-about-deepseek.html",
        title="What leading AI figures are saying about DeepSeek",
        language="en",
        published="2025-02-04T10:30:00+00:00",
        author="Meridian Wire (translated from Le Courrier du Numérique)",
        paragraphs=TRANSLATION_PARAGRAPHS,
        expect="source_copy",
    ),
    # wire-1: the original dispatch, then two later copies
    Page(
        outlet="meridian",
        path="/2025/01/27/nvidia-sheds-nearly-600-billion-as-deepseek-rattles-investors.html",
        title="Nvidia sheds nearly $600 billion in record rout as DeepSeek rattles investors",
        language="en",
        published="2025-01-27T21:40:00+00:00",
        author="Meridian Wire staff",
        paragraphs=_WIRE1_PARAGRAPHS,
        expect="followup",
        dup_group="wire-1",
    ),
    Page(
        outlet="circuitledger",
        path="/2025/01/27/nvidia-loses-589-billion-in-a-day-as-deepseek-fears-hit-chip-stocks.html",
        title="Nvidia loses $589 billion in a day as DeepSeek fears hit chip stocks",
        language="en",
        published="2025-01-27T17:55:00-05:00",
        author="Meridian Wire, via The Circuit Ledger",
        paragraphs=_WIRE1_PARAGRAPHS,
        expect="duplicate",
        dup_group="wire-1",
    ),
    Page(
        outlet="kaihin",
        path="/2025/01/28/nvidia-biggest-one-day-loss-after-deepseek-shock.html",
        title="Nvidia posts biggest one-day loss in market history after DeepSeek shock",
        language="en",
        published="2025-01-28T08:30:00+09:00",
        author="Meridian Wire",
        paragraphs=_WIRE1_PARAGRAPHS,
        expect="duplicate",
        dup_group="wire-1",
    ),
    Page(
        outlet="circuitledger",
        path="/2025/01/27/deepseek-assistant-overtakes-chatgpt-on-us-app-store.html",
        title="DeepSeek's assistant overtakes ChatGPT as top free app on US App Store",
        language="en",
        published="2025-01-27T06:30:00-05:00",
        author="Dana Whitfield",
        paragraphs=(
            "A week after its Chinese developer released the R1 reasoning model, the DeepSeek AI "
            "assistant has climbed to the top of Apple's US App Store chart of free apps, "
            "pushing OpenAI's ChatGPT into second place over the weekend.",
            "The app, which is free to use and runs on DeepSeek-V3 and the newer DeepSeek-R1 "
            "model, also ranked first in the United Kingdom, Canada and several other markets on "
            "Monday morning, according to app-tracking data. Downloads accelerated after a wave "
            "of social media posts comparing its answers favourably with those of paid "
            "American services.",
            "DeepSeek says R1 matches OpenAI's o1 model on a range of mathematics and coding "
            "benchmarks. Unlike o1, R1 was published with open weights under the MIT licence, "
            "allowing developers to download it and run it on their own hardware.",
            "The sudden popularity came with growing pains. DeepSeek said on Monday it was "
            "temporarily limiting new registrations to users with mainland China phone numbers "
            "because of what it described as large-scale malicious attacks on its services. "
            "Existing users were still able to sign in.",
            "Testers have also noticed that the chatbot declines to discuss topics considered "
            "sensitive by Beijing, such as the 1989 Tiananmen Square crackdown, a restriction "
            "that appears strongest in the hosted app.",
            "For the Hangzhou company, founded in 2023, the ranking is a remarkable milestone. "
            "Analysts say the bigger question is whether DeepSeek can keep serving millions of "
            "new users on the limited computing resources it has disclosed.",
        ),
        expect="followup",
    ),
    Page(
        outlet="circuitledger",
        path="/2025/01/29/openai-says-it-has-evidence-deepseek-used-its-models.html",
        title="OpenAI says it has evidence DeepSeek used its models to train R1",
        language="en",
        published="2025-01-29T14:10:00-05:00",
        author="Marcus Bell",
        paragraphs=(
            "OpenAI says it has found evidence that DeepSeek may have used outputs from its "
            "models to help train the Chinese company's own systems, a practice known as "
            "distillation that breaches OpenAI's terms of service.",
            "The San Francisco company said on Wednesday that it was reviewing indications that "
            "DeepSeek had inappropriately distilled its models and that it would share "
            "information with the US government. It did not publish details of the evidence.",
            "Distillation is a common technique in machine learning: a smaller 'student' model "
            "is trained on the answers of a larger 'teacher' model, inheriting much of its "
            "ability at a fraction of the cost. Using a commercial competitor's outputs to build "
            "a rival product, however, is prohibited by OpenAI's usage policies.",
            "David Sacks, the White House adviser on AI and crypto, told Fox News there was "
            "substantial evidence that DeepSeek had distilled knowledge from OpenAI's models, "
            "without elaborating. Microsoft, OpenAI's largest investor, was reported to be "
            "investigating whether data had been extracted through OpenAI's API late last year.",
            "The accusation drew ironic reactions online, with critics noting that OpenAI itself "
            "faces lawsuits from publishers and authors who say their work was used without "
            "permission to train ChatGPT.",
            "DeepSeek has not responded publicly. The company says its R1 model was trained "
            "largely with reinforcement learning on top of its DeepSeek-V3 base model, a method "
            "it described in detail in a paper published alongside the release.",
        ),
        expect="followup",
    ),
    Page(
        outlet="circuitledger",
        path="/2025/01/30/microsoft-and-amazon-add-deepseek-r1-to-their-clouds.html",
        title="Microsoft and Amazon add DeepSeek R1 to their cloud AI catalogues",
        language="en",
        published="2025-01-30T11:00:00-05:00",
        author="Priya Raman",
        paragraphs=(
            "Days after the DeepSeek R1 model sent technology stocks tumbling, the largest "
            "American cloud providers have made it available to their customers. Microsoft said "
            "on Wednesday that R1 was now offered in the model catalogue of Azure AI Foundry and "
            "on GitHub, and Amazon Web Services followed on Thursday.",
            "Microsoft said the version hosted on Azure had undergone rigorous red teaming and "
            "safety evaluations, including automated assessments of model behaviour. The company "
            "added that customers would soon be able to run distilled versions of DeepSeek R1 "
            "locally on Copilot+ PCs.",
            "At AWS, the model can be deployed through Amazon Bedrock's custom model import and "
            "marketplace features as well as through SageMaker. Chief executive Andy Jassy "
            "highlighted the model's low inference costs, saying such reductions would "
            "ultimately help AI spread more widely.",
            "Because DeepSeek published R1's weights under a permissive licence, cloud companies "
            "can host it on their own infrastructure in the United States. Prompts sent to these "
            "versions therefore do not travel to DeepSeek's servers in China, a point both "
            "companies emphasised to enterprise customers worried about data protection.",
            "The move is a notable shift in tone. The same week, OpenAI, in which Microsoft has "
            "invested heavily, accused DeepSeek of improperly using its outputs. Analysts say the "
            "cloud giants are hedging: whichever models win, they want the computing workloads "
            "to run on their platforms.",
        ),
        expect="followup",
    ),
    Page(
        outlet="circuitledger",
        path="/2025/02/25/deepseek-opens-up-more-code-during-open-source-week.html",
        title="DeepSeek opens up more of its code during 'Open Source Week'",
        language="en",
        published="2025-02-25T09:20:00-05:00",
        author="Dana Whitfield",
        paragraphs=(
            "DeepSeek is spending this week publishing pieces of the internal software it uses "
            "to train and run its AI models, a move that deepens the Chinese start-up's "
            "reputation for openness in an industry where rivals guard such tools closely.",
            "On Monday the company released FlashMLA, a decoding kernel optimised for Nvidia's "
            "Hopper graphics processors that speeds up the attention mechanism used by "
            "DeepSeek-V3 and R1. On Tuesday it followed with DeepEP, a communication library for "
            "mixture-of-experts models, which divide their work among many specialised "
            "sub-networks.",
            "DeepSeek announced the initiative last week, saying it would publish five "
            "repositories over five days and describing itself as a small team exploring "
            "artificial general intelligence. Each release has quickly collected thousands of "
            "stars on GitHub.",
            "Engineers who have examined the code say it offers concrete evidence of how "
            "DeepSeek squeezes performance out of limited hardware, a question that has "
            "fascinated the industry since the company said the final training run of V3 cost "
            "about $5.6 million.",
            "The releases also serve a strategic purpose. By sharing its infrastructure, "
            "DeepSeek encourages developers and cloud providers to build around its models, "
            "strengthening an ecosystem that competes directly with closed offerings from "
            "OpenAI and Google.",
            "The company has not said what follows the open-source week. Reports in China "
            "suggest it is accelerating work on the successor to R1.",
        ),
        expect="followup",
        in_feed=False,
    ),
    Page(
        outlet="circuitledger",
        path="/2025/02/04/eu-publishes-guidelines-on-ai-practices-banned-under-the-ai-act.html",
        title="EU publishes guidelines on AI practices banned under the AI Act",
        language="en",
        published="2025-02-04T15:30:00-05:00",
        author="Priya Raman",
        paragraphs=(
            "The European Commission has published guidelines explaining which uses of "
            "artificial intelligence are now prohibited in the European Union, two days after "
            "the first provisions of the AI Act became applicable.",
            "Since 2 February, the regulation bans a short list of practices judged to pose an "
            "unacceptable risk, including social scoring, systems that manipulate people through "
            "subliminal techniques, the untargeted scraping of facial images to build "
            "recognition databases, and emotion recognition in workplaces and schools, with "
            "limited exceptions.",
            "The guidelines, published on Tuesday, offer examples to help companies and public "
            "authorities tell where the lines are drawn. They explain, for instance, that a tool "
            "detecting whether a call-centre employee is angry falls under the workplace ban, "
            "while a system measuring a driver's fatigue for safety reasons may not.",
            "The document is not legally binding; the final interpretation rests with the Court "
            "of Justice of the EU. Fines for breaching the prohibitions can reach 35 million "
            "euros or 7% of a company's worldwide annual turnover, although national enforcement "
            "authorities have until August to be designated.",
            "Industry groups welcomed the clarifications but said they arrived late. Digital "
            "rights organisations, for their part, criticised the exceptions that allow police "
            "to use real-time facial recognition in public spaces in certain serious cases.",
        ),
        expect="off_topic",
    ),
    Page(
        outlet="circuitledger",
        path="/2025/02/18/review-lumora-glide-7-budget-e-reader.html",
        title="Review: the Lumora Glide 7 is a budget e-reader that gets the basics right",
        language="en",
        published="2025-02-18T10:00:00-05:00",
        author="Marcus Bell",
        paragraphs=(
            "E-readers have become a quiet corner of the gadget market, and the Lumora Glide 7 "
            "does little to change that. What it does offer is a sharp screen, a comfortable "
            "grip and a price of $119, which undercuts most of its better-known rivals.",
            "The 7-inch display has a resolution of 300 pixels per inch and a front light that "
            "can shift from cool white to a warm amber tone in the evening. Text looked crisp in "
            "our tests, and page turns took a little under half a second, fast enough not to be "
            "noticed after a few chapters.",
            "The device weighs 182 grams and is rated IPX8, which means it should survive a drop "
            "into the bath. Physical page-turn buttons sit on one side and can be reversed for "
            "left-handed readers, a small detail that we came to appreciate.",
            "Battery life is the strongest point. With wireless switched off and about an hour "
            "of reading a day, the Glide 7 lasted just over five weeks before it needed charging "
            "through its USB-C port.",
            "The weaknesses are in the software. The built-in store has a smaller catalogue than "
            "the market leaders, and sideloading library books requires a detour through a "
            "desktop application. There is no audiobook support.",
            "For readers who mainly buy from one store or borrow files from friends, it is an "
            "easy recommendation. Those who rely on library lending should check compatibility "
            "first.",
        ),
        expect="off_topic",
    ),
    Page(
        outlet="circuitledger",
        path="/2024/09/12/openai-unveils-o1-models-that-think-before-answering.html",
        title="OpenAI unveils o1 models that 'think' before answering",
        language="en",
        published="2024-09-12T13:00:00-04:00",
        author="Dana Whitfield",
        paragraphs=(
            "OpenAI on Thursday released a new family of AI models called o1, designed to spend "
            "more time working through a problem before responding, an approach the company "
            "says makes them markedly better at science, coding and mathematics.",
            "Two versions are available immediately to paying ChatGPT users: o1-preview and a "
            "smaller, cheaper o1-mini. The models use what OpenAI calls a chain of thought, "
            "generating intermediate reasoning steps that are hidden from users before "
            "producing a final answer.",
            "In a qualifying exam for the International Mathematics Olympiad, OpenAI said o1 "
            "solved 83% of problems, compared with 13% for its GPT-4o model. The company also "
            "reported strong results in competitive programming contests.",
            "The improvements come at a price. The models are slower and, through the API, "
            "considerably more expensive than GPT-4o. They also lack some features, such as web "
            "browsing and file uploads, that users have come to expect.",
            "OpenAI said the release marks a new paradigm in which performance can be improved "
            "by letting a model think longer when answering, rather than only by training larger "
            "models. Rivals are expected to follow with reasoning models of their own in the "
            "coming months.",
        ),
        expect="too_old",
    ),
    Page(
        outlet="circuitledger",
        path="/2025/01/28/live-the-deepseek-fallout-hour-by-hour.html",
        title="Live: the DeepSeek fallout, hour by hour",
        language="en",
        published="2025-01-28T12:00:00-05:00",
        author="Circuit Ledger staff",
        paragraphs=("Follow our live coverage of the market reaction to DeepSeek's R1 model.",),
        expect="no_text",
    ),
    Page(
        outlet="meridian",
        path="/2025/02/05/australia-bans-deepseek-from-government-devices.html",
        title="Australia bans DeepSeek from government devices over security concerns",
        language="en",
        published="2025-02-05T08:00:00+00:00",
        author="Hannah Cole",
        paragraphs=(
            "Australia has banned the DeepSeek artificial intelligence app from all federal "
            "government systems and devices, citing an unacceptable risk to national security, "
            "becoming one of the first countries to impose such a restriction on the Chinese "
            "chatbot.",
            "The directive, issued on Tuesday by the Department of Home Affairs, requires "
            "government entities to prevent the installation of DeepSeek products, applications "
            "and web services and to remove any existing instances. Home Affairs Secretary "
            "Stephanie Foster said the decision followed advice from security agencies.",
            "Home Affairs Minister Tony Burke said the ban concerned the risk to government "
            "information rather than the app's country of origin. Private citizens are not "
            "affected and remain free to use the service.",
            "DeepSeek's rapid rise since the launch of its R1 model on 20 January has prompted "
            "similar scrutiny elsewhere. Italy's data protection authority has ordered the app "
            "blocked, Taiwan has barred government agencies from using it, and the US Navy has "
            "reportedly told personnel to avoid it.",
            "Security researchers have raised concerns over the app's privacy policy, which "
            "states that user data is stored on servers in China, as well as over reports of "
            "weak encryption in the mobile version. DeepSeek has not commented on the Australian "
            "decision.",
            "Australia previously banned the Chinese-owned video app TikTok from government "
            "devices in 2023.",
        ),
        expect="followup",
    ),
    Page(
        outlet="meridian",
        path="/2025/02/18/deepseek-founder-liang-wenfeng-joins-tech-chiefs-at-xi-meeting.html",
        title="DeepSeek founder Liang Wenfeng joins tech chiefs at rare Xi meeting",
        language="en",
        published="2025-02-18T06:15:00+00:00",
        author="Hannah Cole",
        paragraphs=(
            "Liang Wenfeng, the founder of Chinese artificial intelligence start-up DeepSeek, "
            "was among the business leaders who met President Xi Jinping in Beijing on Monday, a "
            "high-profile symposium seen as a sign of official support for the country's "
            "private sector.",
            "State television footage showed Liang seated among some of China's best-known "
            "entrepreneurs, including Alibaba co-founder Jack Ma, Tencent's Pony Ma, Xiaomi's "
            "Lei Jun and Huawei founder Ren Zhengfei. Xi told the gathering that private "
            "businesses had broad prospects and urged them to show their talents.",
            "The invitation marks a rapid rise for Liang, who co-founded the quantitative hedge "
            "fund High-Flyer before launching DeepSeek in Hangzhou in 2023. Until last month he "
            "was little known outside specialist circles; the success of the DeepSeek-R1 model "
            "has turned him into a national figure.",
            "Jack Ma's presence also drew attention. The Alibaba founder largely retreated from "
            "public life after regulators halted the listing of Ant Group in 2020, and analysts "
            "read his appearance as a signal that Beijing's campaign against large technology "
            "companies is over.",
            "For DeepSeek, official recognition could ease access to resources at a time when US "
            "export controls restrict the sale of advanced Nvidia chips to China. It could also "
            "bring closer scrutiny of a company that has prized its independence and has so far "
            "declined outside investment.",
        ),
        expect="followup",
    ),
    Page(
        outlet="meridian",
        path="/2025/03/03/deepseek-claims-theoretical-profit-margin-of-545-percent.html",
        title="DeepSeek claims 'theoretical' profit margin of 545% on its AI services",
        language="en",
        published="2025-03-03T12:00:00+00:00",
        author="Meridian Wire staff",
        paragraphs=(
            "DeepSeek says its online AI services could in theory earn a daily profit margin of "
            "545%, the first time the Chinese start-up has disclosed figures on the economics of "
            "running its DeepSeek-V3 and R1 models.",
            "In a post on GitHub published on Saturday, the last day of its Open Source Week, "
            "the company said that if all the usage recorded over a 24-hour period had been "
            "billed at R1's prices, it would have generated revenue of $562,027 against an "
            "estimated cost of $87,072 for renting the graphics processors involved.",
            "DeepSeek stressed that its actual revenue is substantially lower. Its V3 model is "
            "cheaper than R1, the web and app versions are free, and developers receive "
            "discounts during off-peak hours, so only part of the traffic generates income.",
            "The disclosure offers a rare look at the cost structure of a leading AI developer. "
            "DeepSeek said the efficiency came from techniques such as large-scale expert "
            "parallelism and caching, which allow it to serve many requests on the same Nvidia "
            "H800 chips.",
            "The figures add to a debate that began in January, when DeepSeek's claim that the "
            "final training run of V3 cost $5.6 million sent chip stocks tumbling. Analysts "
            "cautioned that the margin calculation leaves out research, salaries and the "
            "purchase of hardware.",
        ),
        expect="followup",
        in_sitemap=False,
    ),
    Page(
        outlet="meridian",
        path="/2025/02/10/eagles-rout-chiefs-to-win-super-bowl-lix.html",
        title="Eagles rout Chiefs to win Super Bowl LIX",
        language="en",
        published="2025-02-10T04:30:00+00:00",
        author="Tom Alvarez",
        paragraphs=(
            "The Philadelphia Eagles beat the Kansas City Chiefs 40-22 in New Orleans on Sunday "
            "to win Super Bowl LIX, ending the Chiefs' bid to become the first team to win three "
            "consecutive NFL championships.",
            "Quarterback Jalen Hurts was named the game's most valuable player after throwing "
            "two touchdown passes and running for another. The Eagles' defence dominated from "
            "the start, sacking Patrick Mahomes six times and intercepting him twice, including "
            "a pick-six by rookie Cooper DeJean on his birthday.",
            "Philadelphia led 24-0 at half-time and extended the lead to 34-0 in the third "
            "quarter before Kansas City scored its first points. Three late Chiefs touchdowns "
            "only made the final score look more respectable.",
            "The victory avenged the Eagles' loss to the same opponent in the Super Bowl two "
            "years ago and gave the franchise its second title, after its win over the New "
            "England Patriots in 2018.",
            "Kendrick Lamar headlined the half-time show at the Caesars Superdome. President "
            "Donald Trump attended the game, the first sitting president to do so.",
            "Fans began gathering in the streets of Philadelphia within minutes of the final "
            "whistle, and the city announced plans for a victory parade later in the week.",
        ),
        expect="off_topic",
    ),
    Page(
        outlet="meridian",
        path="/2025/03/04/oil-falls-as-opec-plus-confirms-output-increase.html",
        title="Oil falls as OPEC+ confirms plan to raise output from April",
        language="en",
        published="2025-03-04T16:45:00+00:00",
        author="Hannah Cole",
        paragraphs=(
            "Oil prices fell on Tuesday after the OPEC+ group of producers confirmed it would go "
            "ahead with a planned increase in output from April, the first such rise since 2022, "
            "adding to worries about weak demand.",
            "Brent crude futures dropped to around $71 a barrel during the session, their lowest "
            "level in several months, while US West Texas Intermediate traded near $67.",
            "Eight members of the group, led by Saudi Arabia and Russia, said on Monday they "
            "would begin unwinding voluntary cuts of 2.2 million barrels per day in small "
            "monthly steps, starting with 138,000 barrels per day in April. The group said the "
            "increase could be paused or reversed depending on market conditions.",
            "Analysts said the decision came at a difficult moment for the market, with new US "
            "tariffs on imports from Canada, Mexico and China taking effect on Tuesday and "
            "raising fears of slower global growth.",
            "'The timing is surprising,' said one commodities strategist. 'Supply is coming back "
            "just as the demand outlook is getting cloudier.' Lower fuel prices would, however, "
            "bring some relief to consumers and to airlines, which have struggled with high "
            "costs over the past two years.",
        ),
        expect="off_topic",
    ),
)

#: Pages that belong to general news sections rather than to ``/tech/``.
GENERAL: frozenset[tuple[str, str]] = frozenset(
    {
        ("meridian", "/2025/02/10/eagles-rout-chiefs-to-win-super-bowl-lix.html"),
        ("meridian", "/2025/03/04/oil-falls-as-opec-plus-confirms-output-increase.html"),
    }
)
