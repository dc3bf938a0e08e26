#!/usr/bin/env python3
"""Writes holdout-22's email messages (.eml) from the team's text below,
as mail programs write them: Python's email package for the MIME
structure and transfer encodings, LibreOffice (soffice) for the Word
attachment of d06. Run from this folder: python3 make-mail.py"""

import subprocess
import tempfile
from email.message import EmailMessage
from pathlib import Path

HERE = Path(__file__).resolve().parent


def message(sender, to, subject, date, received):
    """A message with the headers a mail system writes; its Message-ID
    made from its date, so the script writes the same headers each run."""
    msg = EmailMessage()
    msg["Received"] = received
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = date
    stamp = "".join(c for c in date if c.isdigit())
    msg["Message-ID"] = f"<{stamp}.policy@{sender.split('@')[-1].rstrip('>')}>"
    return msg


def write(name, msg):
    # Fixed boundaries (Python's are random), numbered by depth.
    for depth, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=_policyscan_{name[:3]}_{depth}")
    (HERE / name).write_bytes(bytes(msg))


def d01():
    msg = message(
        "Dana Whitford <dana@whitforddata.example>",
        "Senator Okafor <district14@senate.state.example>",
        "Please vote no on SB 1820 (model publisher licensing)",
        "Mon, 30 Nov 2026 07:41:09 -0600",
        "from mail.whitforddata.example by mx.senate.state.example; Mon, 30 Nov 2026 07:41:12 -0600",
    )
    msg.set_content(
        """Dear Senator Okafor,

I live in Eastfield and I've built software here for nineteen years. I'm
writing about SB 1820, which would make anyone who publishes a trained
model above the bill's size cutoff apply to the state for a publisher's
license first.

I run a four-person consultancy. Most of what we deliver to the county
clinics and the school district runs on models whose weights are posted
publicly, because that's what we can afford and what we can inspect. If
publishing those models requires a state license, the people who publish
them will simply stop shipping to users in our state, or they'll
geo-block us. We will be left buying API access from two or three big
vendors at whatever price they set.

The bill's sponsors say the license is just paperwork. It isn't. Section
4 requires an annual third-party audit at the publisher's expense, and
the fee schedule alone is more than my firm's yearly software budget. The
large labs will pay it without blinking. Volunteers who maintain the
community fine-tunes my clients depend on will not.

I understand people are worried about misuse. So am I. But the people who
want to misuse these tools aren't going to apply for a license, and the
ones who will are the people you'd want building things here.

Please vote no on SB 1820 as written, and ask the committee to strike the
licensing section.

Thank you for your time,
Dana Whitford
Eastfield
-- 
Whitford Data Services | 4 employees | Eastfield
""",
        cte="7bit",
    )
    write("d01-constituent-letter.eml", msg)


D02_TEXT = [
    "To the Office of Technology Assessment:",
    "Lakeshore Health operates eleven hospitals and about ninety clinics. I lead our information security team, and I am submitting this comment on the proposed framework for frontier model release.",
    "Over the past year our security operations center has seen phishing lures that used to take an attacker an afternoon now arrive in batches of thousands, each tailored to a named nurse manager or billing clerk. Last spring a ransomware crew used a publicly posted model, with its refusal training stripped out by a weekend fine-tune, to write working exploit code against an imaging archive we run. We patched in time. A rural hospital two counties over did not.",
    "We ask the Office to do three things:",
]
D02_ITEMS = [
    "Require that developers of frontier models complete independent adversarial testing, including testing for offensive cyber capability, before the weights are made available to anyone outside the developer.",
    "Where that testing finds meaningful uplift for attacks on critical infrastructure, allow release only through gated access with identity verification, not as a public download.",
    "Require developers to report serious security incidents involving their models to the agency within 72 hours.",
]
D02_END = [
    "Once a model\u2019s weights are on the open internet, there is no way for anyone to take them back, and hospital security budgets cannot keep up with each new release. We would rather these checks happen before release than read about the consequences in an incident report.",
    "Patient records are among the most valuable data criminals can steal. Please treat health care as critical infrastructure when the framework is finalised.",
    "Respectfully,\nMarisol Teague\nChief Information Security Officer, Lakeshore Health",
]


def d02():
    msg = message(
        "Marisol Teague <mteague@lakeshorehealth.example>",
        "AI Framework Comments <ai-comments@ota.agency.example>",
        "Docket AI-2026-0114: comment from Lakeshore Health on frontier model release",
        "Wed, 02 Dec 2026 16:05:33 -0500",
        "from exch01.lakeshorehealth.example by mx.ota.agency.example; Wed, 02 Dec 2026 16:05:40 -0500",
    )
    items = "\n".join(f"{i}. {t}" for i, t in enumerate(D02_ITEMS, 1))
    plain = "\n\n".join(D02_TEXT + [items] + D02_END) + "\n"
    msg.set_content(plain, cte="quoted-printable")
    html = (
        "<html><head><style>body { font-family: Calibri, sans-serif; }</style></head><body>\n"
        + "".join(f"<p>{p}</p>\n" for p in D02_TEXT)
        + "<ol>\n"
        + "".join(f"<li>{t}</li>\n" for t in D02_ITEMS)
        + "</ol>\n"
        + "".join(f"<p>{p.replace(chr(10), '<br>')}</p>\n" for p in D02_END)
        + '<p style="font-size:8pt;color:#888">CONFIDENTIALITY NOTICE: This message may contain protected health information. If you are not the intended recipient, delete it.</p>\n'
        + "</body></html>\n"
    )
    msg.add_alternative(html, subtype="html", cte="quoted-printable")
    write("d02-hospital-comment.eml", msg)


def d03():
    msg = message(
        "Marcus Lee <marcus.lee@mail.house.example>",
        "Jennifer Ortiz <jennifer.ortiz@mail.house.example>",
        "Fwd: Small Developers Coalition \u2013 talking points on H.R. 5512",
        "Fri, 04 Dec 2026 09:12:48 -0500",
        "from mail.house.example by mail.house.example; Fri, 04 Dec 2026 09:12:49 -0500",
    )
    msg.set_content(
        """Jen \u2014 sending this along before your 2:00 with the coalition. Their
numbers on compliance costs come from their own member survey, so treat
them with some care; I haven't found an independent estimate yet. Happy
to pull CBO's score if it's out by then.

\u2014 Marcus

---------- Forwarded message ---------
From: Small Developers Coalition <policy@sdc.example>
Date: Thu, Dec 3, 2026 at 4:12 PM
Subject: Small Developers Coalition \u2013 talking points on H.R. 5512
To: <marcus.lee@mail.house.example>


Thank you for meeting with us. Ahead of Monday, here is where our members
stand on H.R. 5512.

\u2022 The bill's registration requirement for anyone distributing model
weights would fall hardest on small teams. Members estimate first-year
compliance costs of $180,000 to $400,000 per model.
\u2022 Developers would be liable for harms caused by third parties who
modify a model after release. No small company can insure against that.
\u2022 The compute threshold in Section 2 is fixed in statute and will sweep
in ordinary models within three years.
\u2022 Large incumbents support the bill. That should tell you something.

We urge the Member to oppose H.R. 5512 unless the registration
requirement is dropped and a safe harbor is added for open-source
releases.

Small Developers Coalition
""",
        cte="quoted-printable",
    )
    write("d03-staff-forward.eml", msg)


def d04():
    msg = message(
        "The Weights Watch <newsletter@weightswatch.example>",
        "subscriber@policyshop.example",
        "The Weights Watch \u2014 week of Nov 30: three states, one threshold",
        "Sat, 05 Dec 2026 06:00:00 +0000",
        "from sendgrid.example by mx.policyshop.example; Sat, 05 Dec 2026 06:00:04 +0000",
    )
    msg["List-Unsubscribe"] = "<https://weightswatch.example/unsubscribe?u=8812>"
    html = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>The Weights Watch</title>
<style>h2 { color: #1a4d7a; } .footer { font-size: 11px; }</style></head>
<body>
<table role="presentation" width="100%"><tr><td>
<p style="font-size:11px"><a href="https://weightswatch.example/web/1207">View in your browser</a></p>
<h1>The Weights Watch</h1>
<p>Your weekly tracker of state and federal bills on AI models. Three states moved this week, and all three drew their lines at the same place.</p>
<h2>Colorado</h2>
<p>The Senate Technology Committee advanced SB 26-041 on a 6\u20133 vote. The bill would require developers of models trained above 10<sup>26</sup> operations to publish a safety framework and to report critical incidents to the attorney general within 15 days. The committee rejected an amendment that would have exempted models released with open weights.</p>
<h2>New York</h2>
<p>An Assembly bill introduced Tuesday would make developers jointly liable with deployers for harms that result from \u201cforeseeable misuse\u201d of a model. Industry groups called the standard vague; consumer advocates said it closes a gap that lets each party blame the other.</p>
<h2>Texas</h2>
<p>An interim committee heard testimony on whether the state should set its own compute threshold or follow the federal definition. No bill has been filed.</p>
<h2>Federal</h2>
<p>The Commerce Department\u2019s Bureau of Industry and Security extended the comment period on its proposed rule for exporting the weights of closed frontier models to January 15. The proposal does not cover weights that have already been published.</p>
<h2>What we\u2019re reading</h2>
<ul><li>A university center\u2019s count of released models that cross the EU\u2019s 10<sup>25</sup> presumption. Its answer: eleven.</li></ul>
<div class="footer"><p>You are receiving this because you subscribed at weightswatch.example. <a href="https://weightswatch.example/unsubscribe?u=8812">Unsubscribe</a> | <a href="https://weightswatch.example/prefs">Manage preferences</a></p>
<p>The Weights Watch, 1200 K Street, Suite 400, Washington, DC</p></div>
</td></tr></table>
</body></html>
"""
    msg.set_content(html, subtype="html", cte="base64")
    write("d04-newsletter.eml", msg)


def d05():
    msg = message(
        "Tom\u00e1s Arriaga <tomas@fernhill.example>",
        "Priya Raman <praman@courier.example>",
        "RE: Questions for Thursday's story on the Tennessee model bill",
        "Tue, 01 Dec 2026 13:22:10 -0600",
        "from NAM12-BN8-obe.outbound.protection.outlook.example by mx.courier.example; Tue, 01 Dec 2026 13:22:15 -0600",
    )
    msg["Thread-Index"] = "AQHZx1f2b9m3kq8uT0yQzW1nJ5c7Vw=="
    msg.set_content(
        """Hi Priya,

Answers below, and you can quote me by name.

On the bill overall: I think the legislature is aiming at the wrong point
in the chain. The risk from our models depends almost entirely on where
they're deployed. A model that drafts loan denial letters or screens
tenants should face real obligations: testing for bias before it goes
live, documentation, a human who can overturn the decision. The same
model sitting in a research repository shouldn't.

So I'd support the bill if the duties attached to the companies that put
models into high-stakes use, and if the developer obligations were
limited to a short transparency report. The current text puts the full
liability on whoever trained the model, including people who publish
weights for others to study. That part I'd ask them to drop.

On whether we'd leave the state: no. We'd comply. But a lot of smaller
projects would just stop shipping here.

Best,
Tom\u00e1s Arriaga
CTO, Fernhill Labs

________________________________
From: Priya Raman <praman@courier.example>
Sent: Tuesday, December 1, 2026 9:47 AM
To: Tom\u00e1s Arriaga <tomas@fernhill.example>
Subject: Questions for Thursday's story on the Tennessee model bill

Hi Tom\u00e1s, a few questions for a story running Thursday:

1. Critics say the bill will drive open-source developers out of the
state. Is that right?
2. Supporters say open weights let anyone strip out safety features and
that only licensing can stop that. How do you respond?
3. Would Fernhill leave Tennessee if it passes?

Thanks,
Priya
""",
        cte="8bit",
    )
    write("d05-reply-to-reporter.eml", msg)


D06_LETTER = """<html><head><meta charset="utf-8"><title>Joint letter on S. 2290</title></head><body>
<h1>Joint Letter on S. 2290, the Frontier Model Accountability Act</h1>
<p>December 3, 2026</p>
<p>To the Chair and Ranking Member of the Committee on Commerce, Science, and Transportation:</p>
<p>We write as directors of fourteen university research centers that study machine learning, computer security and public policy. We share the Committee\u2019s goal of preventing serious harm from advanced AI systems. We write because two provisions of S. 2290 would, as drafted, end much of the independent research that the Committee will rely on to understand those systems.</p>
<h2>Liability for modified models</h2>
<p>Section 5 makes the original developer of a covered model liable for any harm caused by a modified version, regardless of who made the changes or how. Universities release models so that others can examine them, find their flaws and improve them. No university counsel will approve releasing a model if the institution is answerable for everything done with every copy, forever.</p>
<h2>No room for research</h2>
<p>The bill has no exemption for non-commercial research. A graduate student who trains a small model for a dissertation and posts it with the code would face the same duties as a company selling access to millions of users. We ask the Committee to add a research safe harbor: models released by accredited institutions for research purposes, with documentation of how they were trained and evaluated, should be exempt from Section 5.</p>
<h2>Why it matters</h2>
<p>Much of what is publicly known about the weaknesses of today\u2019s models was found by academic researchers working on openly released weights. Closing that off would leave the public dependent on the assurances of the few companies that sell these systems, and would move the research itself to countries that have not made this choice.</p>
<p>We would be glad to work with Committee staff on language that addresses these concerns.</p>
<p>Respectfully,<br>The directors of fourteen university research centers (signatories listed on the following page)</p>
</body></html>
"""


def d06():
    msg = message(
        "Office of Federal Relations <federal.relations@harwood.example>",
        "Commerce Committee Staff <staff@commerce.senate.example>",
        "Joint letter from 14 university research centers on S. 2290",
        "Thu, 03 Dec 2026 11:30:02 -0500",
        "from smtp.harwood.example by mx.senate.example; Thu, 03 Dec 2026 11:30:09 -0500",
    )
    msg.set_content(
        """Dear Committee staff,

Attached please find a joint letter from fourteen university research
centers regarding S. 2290. We would welcome the chance to brief the
Committee or its staff at your convenience.

Regards,
Office of Federal Relations
Harwood University
""",
        cte="7bit",
    )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "joint-letter-S2290.html"
        src.write_text(D06_LETTER, encoding="utf-8")
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(src)],
            check=True,
            capture_output=True,
        )
        docx = (Path(tmp) / "joint-letter-S2290.docx").read_bytes()
    msg.add_attachment(
        docx,
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename="joint-letter-S2290.docx",
    )
    write("d06-letter-attached.eml", msg)


def d07():
    msg = message(
        "Hana Sorensen <hana@biosec-lab.example>",
        "ml-sec <ml-sec@lists.example>",
        "Re: [ml-sec] Should we stop publishing checkpoints above 70B?",
        "Sun, 06 Dec 2026 10:14:55 +0100",
        "from lists.example by lists.example; Sun, 06 Dec 2026 10:15:02 +0100",
    )
    msg["In-Reply-To"] = "<CAF8q-4@lists.example>"
    msg["List-Id"] = "<ml-sec.lists.example>"
    msg.set_content(
        """On Sat, Dec 5, 2026 at 11:02 PM Arjun Mehta <arjun@lists.example> wrote:
> Every time this comes up someone says "you can't take it back". So what?
> You can't take back a paper either. Openness is how we found half the
> jailbreaks in the first place.
>
> I'm not convinced there's any uplift that isn't already on the web.

Arjun, the paper analogy breaks down exactly where it matters. A paper
tells you a method exists. A checkpoint with the guardrails tuned out
does the work for you. Our group ran the uplift study on protein design
last quarter, and the difference between "it's on the web" and "a model
walks you through it" was not small.

I'm not saying stop publishing. I'm saying that above a certain
capability level, release should wait until an outside team has tried to
break it, and the biggest checkpoints should go to vetted researchers
first rather than straight to a public mirror. Staged access bought us
months of fixes on the last two releases.

Once it's mirrored, it's mirrored for good.

Hana

_______________________________________________
ml-sec mailing list
https://lists.example/mailman/listinfo/ml-sec
""",
        cte="7bit",
    )
    write("d07-list-reply.eml", msg)


def d08():
    msg = message(
        "Open Software Industry Council <press@osic.example>",
        "newsdesk@wire.example",
        "STATEMENT: Open Software Industry Council on BIS proposed rule for model weights",
        "Fri, 04 Dec 2026 14:00:00 -0500",
        "from mta.osic.example by mx.wire.example; Fri, 04 Dec 2026 14:00:07 -0500",
    )
    html = """<html><body>
<p><b>FOR IMMEDIATE RELEASE</b><br>Contact: press@osic.example</p>
<p>WASHINGTON \u2014 The Open Software Industry Council today urged the Commerce Department to withdraw the part of its proposed rule that would treat openly published model weights as controlled exports.</p>
<p>\u201cPublishing a model on the internet is not exporting a weapon,\u201d said council president Lena Voss. \u201cThis rule would make every American developer who posts a model on a public site do the paperwork of an arms dealer, while rivals abroad publish freely.\u201d</p>
<p>The council said that America\u2019s lead in AI rests on the developer communities that grow up around open models, and that pushing those communities offshore would hand the advantage to competitors in Beijing and elsewhere. It noted that controls on advanced chips, which the council supports, already cover the hardware that matters most.</p>
<p>The council will file detailed comments before the January 15 deadline.</p>
<p><i>About the council:</i> The Open Software Industry Council represents 240 software companies that build on and contribute to open-source projects.</p>
<p>###</p>
</body></html>
"""
    msg.set_content(html, subtype="html", charset="windows-1252", cte="quoted-printable")
    write("d08-press-statement.eml", msg)


for make in (d01, d02, d03, d04, d05, d06, d07, d08):
    make()
