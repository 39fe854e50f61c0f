"""The journey driver: a person (and the officers after them) walking one route through the pages.

Every step is done the way a person does it: links followed, forms typed into, files chosen,
buttons pressed, in the route's language and at its width; axe checks every page visited. The
database is only read, to wait for the worker and to check what a page claims.

Known defects (issue 12) are named in ``DEFECTS``. Where a person could go on anyway (there is no
link from the self-check result, so they open "Start a new application" themselves), the driver
records the defect, takes that way round, and walks on; a defect that stops the journey raises at
once. At the end ``Journey.finish()`` raises ``KnownDefect`` listing what was met, so a route
marked ``xfail(raises=KnownDefect, strict=True)`` still fails on anything else, and flips to a
failure (XPASS) as soon as the fix merges. A route that meets a defect it does not declare fails.
"""

from __future__ import annotations

import email
import re
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from django.utils import translation

from tests.browser.conftest import accessibility_violations, describe_violations
from tests.mfa_helpers import second_factor_in_browser

from .routes import EN, Route

PASSWORD = "Journey-pass-2016!"
# The simulator agrees with everything stated for this passport (simulator/README.md).
MATCHING_PASSPORT = "TESTMATCH1"

DEFECTS = {
    "self-check-link": "the self-check result has no link to start that application",
    "green-checklist": "a green-channel draft gets the standard checklist (green documents refused at upload)",
    "former-national": "former Chinese nationals are asked for a sponsor and kinship, not former nationality",
    "phone-tables": "scrollable-region-focusable fails at 375 px on the result and checks tables",
    "revocation-inbox": "revocation writes no in-portal notification",
    "card-link": "the application's status page does not link to the card once it is issued",
    "dependant-docs": "a dependant's missing documents do not block submission",
}


class KnownDefect(AssertionError):
    """The journey met only defects issue 12 lists (and went on to the end where it could)."""


def t(language: str, text: str, context: str | None = None) -> str:
    """The text as the portal shows it in that language (the project's own catalogues)."""
    with translation.override(language):
        if context:
            return str(translation.pgettext(context, text))
        return str(translation.gettext(text))


class Actor:
    """One person's browser (a context of their own), in the route's language and width."""

    def __init__(self, journey: Journey, name: str):
        self.journey = journey
        self.name = name
        self.context = journey.browser.new_context(
            base_url=journey.base_url,
            viewport={"width": journey.route.width, "height": 900},
            locale="zh-CN" if journey.route.language != EN else "en-GB",
            accept_downloads=True,
        )
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()
        self.language_set = False

    @property
    def language(self) -> str:
        return self.journey.route.language

    def t(self, text: str, context: str | None = None) -> str:
        return t(self.language, text, context)

    # --- navigation, each page checked ---------------------------------------------------------
    def check_page(self) -> None:
        self.page.wait_for_load_state()
        self.journey.visited.append(urlparse(self.page.url).path)
        if self.journey.route.width < 700:
            width = self.page.evaluate("document.documentElement.scrollWidth")
            assert width <= self.journey.route.width + 1, f"{self.page.url} is {width} px wide"
        # assert_accessible(), with the one known failure at phone width told apart.
        bad = accessibility_violations(self.page)
        path = urlparse(self.page.url).path
        if (
            bad
            and self.journey.route.width < 700
            and {v["id"] for v in bad} == {"scrollable-region-focusable"}
        ):
            self.journey.defect("phone-tables", f"{path}: {describe_violations(bad)}")
            return
        assert not bad, f"{path}: {describe_violations(bad)}"

    def go(self, path: str) -> None:
        self.page.goto(path)
        self.check_page()

    def click(self, locator) -> None:
        locator.click()
        self.check_page()

    def upload(self, section, scan: dict) -> None:
        """Upload one document on the documents step as a person does: choose the file, press the
        button. The section posts through htmx and is replaced in place (the page stays); the
        journey waits for its answer and for the new section to say the document is uploaded."""
        slot = section.get_attribute("id")
        url = self.page.url
        section.locator("input[type=file]").set_input_files(scan)
        with self.page.expect_response(
            lambda r: r.request.method == "POST" and "/steps/documents/" in r.url
        ) as answer:
            section.locator("button[type=submit]").click()
        assert answer.value.status == 200, f"{slot}: HTTP {answer.value.status}"
        assert answer.value.request.headers.get("hx-request") == "true", "the upload reloaded the page"
        # The new section says "uploaded" or names the error (the old one says neither).
        self.page.locator(f"#{slot} p.message, #{slot} .field-error").first.wait_for()
        error = self.page.locator(f"#{slot} .field-error")
        assert not error.count(), f"{slot}: {error.first.inner_text()}"
        assert self.page.locator(f"#{slot} .badge.ok").count() == 1
        assert self.page.url == url
        self.check_page()

    def press(self, text: str, context: str | None = None, *, within=None) -> None:
        scope = within or self.page
        self.click(scope.get_by_role("button", name=self.t(text, context), exact=True))

    def follow(self, href_suffix: str) -> None:
        self.click(self.page.locator(f"main a[href$='{href_suffix}']").first)

    def choose_language(self) -> None:
        if self.language_set:
            return
        self.language_set = True
        if self.language != EN:
            self.page.get_by_role("button", name="中文").click()
            self.check_page()

    def fill(self, values: dict, *, within=None) -> None:
        scope = within or self.page
        for name, value in values.items():
            field = scope.locator(f"[name='{name}']")
            tag = field.evaluate("e => e.tagName + ':' + (e.type || '')")
            if tag.startswith("SELECT"):
                field.select_option(str(value))
            elif tag == "INPUT:checkbox":
                field.set_checked(bool(value))
            else:
                field.fill(str(value))

    def log_in(self, email: str, password: str = PASSWORD) -> None:
        self.go("/accounts/login/")
        self.choose_language()
        self.page.locator("[name=username]").fill(email)
        self.page.locator("[name=password]").fill(password)
        self.press("Log in")
        # Staff enrol an authenticator app at their first log-in, then give its code each time.
        second_factor_in_browser(self.page, email, self.click)
        assert "/accounts/login/" not in self.page.url, f"{email} could not log in"

    def close(self) -> None:
        self.context.close()


class Journey:
    """One route from a new account to the end of its life."""

    def __init__(self, *, route: Route, browser, base_url: str, officers: dict, mail_dir: Path, artifacts):
        self.route = route
        self.browser = browser
        self.base_url = base_url
        self.officers = officers
        self.mail_dir = mail_dir
        self.artifacts = artifacts
        self.visited: list[str] = []
        self.met: dict[str, list[str]] = {}
        self.email = f"{route.id}@journeys.example.org"
        self.application = None
        self.started = time.monotonic()
        self.person = Actor(self, "applicant")
        self.actors = [self.person]

    # --- bookkeeping ---------------------------------------------------------------------------
    def defect(self, code: str, detail: str = "") -> None:
        assert code in DEFECTS, code
        self.met.setdefault(code, []).append(detail)

    def blocking_defect(self, code: str, detail: str = ""):
        self.defect(code, detail)
        return KnownDefect(self.summary())

    def summary(self) -> str:
        lines = [f"issue 12 defects met by {self.route.id}:"]
        for code, details in self.met.items():
            lines.append(f"- {code}: {DEFECTS[code]}" + (f" ({details[0][:300]})" if details[0] else ""))
        return "\n".join(lines)

    def finish(self) -> None:
        undeclared = set(self.met) - set(self.route.known_defects)
        assert not undeclared, f"{self.route.id} met defects it does not declare: " + self.summary()
        fixed = set(self.route.known_defects) - set(self.met)
        assert not fixed, f"{self.route.id} no longer meets {sorted(fixed)}: take them out of routes.py"
        if self.met:
            raise KnownDefect(self.summary())

    def officer(self, key: str) -> Actor:
        actor = Actor(self, key)
        from tests.factories import PASSWORD as OFFICER_PASSWORD

        actor.log_in(self.officers[key].email, OFFICER_PASSWORD)
        self.actors.append(actor)
        return actor

    def close(self) -> None:
        for actor in self.actors:
            actor.close()

    @contextmanager
    def as_officer(self, key: str):
        actor = self.officer(key)
        try:
            yield actor
        finally:
            actor.close()
            self.actors.remove(actor)

    def refresh(self):
        from applications.models import Application

        if self.application is None:
            self.application = Application.objects.get(applicant__owner__email=self.email)
        self.application.refresh_from_db()
        return self.application

    def wait_for_status(self, *statuses: str, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.refresh().status in statuses:
                return self.application
            time.sleep(0.2)
        raise AssertionError(
            f"{self.route.id}: waited {timeout}s for {statuses}, status is {self.application.status}"
        )

    # --- the applicant -------------------------------------------------------------------------
    def self_check(self) -> None:
        """The public self-check, before any account: the route's facts give the expected outcome."""
        me = self.person
        me.go("/")
        me.choose_language()
        me.go("/eligibility/check/")
        me.follow(f"/eligibility/check/{self.route.channel}/")
        form = me.page.locator("form.self-check-form")
        values = self.self_check_values(form)
        me.fill(values, within=form)
        me.click(form.locator("button[type=submit]"))
        outcome = me.page.locator("[data-testid=outcome]").inner_text().strip()
        expected = {
            "eligible": me.t("Eligible"),
            "judgement": me.t("Needs an officer's judgement"),
        }[self.route.self_check_outcome]
        assert outcome == expected, f"self-check says {outcome!r}, expected {expected!r} from {values}"
        if self.route.self_check_outcome == "eligible":
            # The headline names the way that makes the person eligible, in the page's language.
            headline = me.page.locator("#result [data-testid=through]").inner_text().strip()
            assert headline.startswith(me.t("Eligible through %(route)s").split("%(route)s")[0]), headline
        # "Start an application through this route" sends the answers along (kept in the session).
        start = me.page.locator("#result [data-testid=start-application]")
        if start.count():
            me.click(start.first)
            self.via_result_link = True
            self.self_check_given = values
        else:
            self.defect("self-check-link", f"result page {me.page.url}")
            self.via_result_link = False
            self.self_check_given = {}

    def self_check_values(self, form) -> dict:
        names = set(form.locator("[name]").evaluate_all("els => els.map(e => e.name)"))
        route = self.route
        known = {"birth_date": route.birth_date, "province": "CN-GD"}
        for name, value in {**route.facts, **route.self_check_extra}.items():
            known[name] = ("yes" if value else "no") if isinstance(value, bool) else value
        if route.days:
            known["days_in_china_by_year"] = ", ".join(str(d) for d in route.days)
        for name in names:
            if name not in known and name in {"priority_industry", "relatives_abroad", "encouraged_industry"}:
                known[name] = "no"
        return {name: value for name, value in known.items() if name in names}

    def register(self) -> None:
        me = self.person
        if "/accounts/register/" not in me.page.url:
            if "/accounts/login/" in me.page.url:
                me.follow("/accounts/register/")
            else:
                me.go("/accounts/register/")
        me.fill(
            {
                "full_name": f"{self.route.given_names} {self.route.family_name}",
                "email": self.email,
                "password1": PASSWORD,
                "password2": PASSWORD,
            }
        )
        me.press("Create account")
        assert "/accounts/register/" not in me.page.url, me.page.locator("main").inner_text()[:500]
        # As the person does: open the link of the verification e-mail, then log in.
        me.go(urlparse(self.mail_link(r"https?://\S+/accounts/verify/\S+/")).path)
        me.log_in(self.email)

    def mail_link(self, pattern: str, timeout: float = 60) -> str:
        """The first link matching ``pattern`` in an e-mail the worker sent to this person."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for path in sorted(self.mail_dir.glob("*.log")):
                message = email.message_from_string(path.read_text())
                body = message.get_payload(decode=True) if not message.is_multipart() else b""
                text = (body or b"").decode(message.get_content_charset() or "utf-8", "replace")
                found = re.search(pattern, text)
                if self.email in message.get("To", "") and found:
                    return found.group(0)
            time.sleep(0.3)
        raise AssertionError(f"no e-mail with {pattern} reached {self.email}")

    def start_application(self) -> None:
        me = self.person
        if f"/applications/new/{self.route.channel}/" not in me.page.url:
            me.follow("/applications/new/")
            me.page.locator(f"input[name=channel][value={self.route.channel}]").check()
            me.click(me.page.locator("main form button[type=submit]"))
        assert f"/applications/new/{self.route.channel}/" in me.page.url, me.page.url

    def profile(self) -> None:
        me = self.person
        route = self.route
        values = {
            "family_name": route.family_name,
            "given_names": route.given_names,
            "sex": route.sex,
            "birth_date": route.birth_date,
            "nationality": route.nationality,
            "passport_number": MATCHING_PASSPORT,
            "passport_expiry": f"{int(route.birth_date[:4]) + 60}-01-01"
            if int(route.birth_date[:4]) + 60 > 2030
            else "2034-01-01",
            "email": self.email,
            "address": "8 Zhujiang Road, Tianhe",
            "province": "CN-GD",
        }
        me.fill(values)
        city = me.page.locator("[name=city_code]")
        city.select_option("440100") if city.evaluate("e => e.tagName") == "SELECT" else city.fill("440100")
        me.press("Save and continue")
        assert "/steps/facts/" in me.page.url, self.errors(me)
        self.refresh()

    def check_prefilled(self) -> None:
        """The facts page starts with what the person told the self-check (they may still change it)."""
        me = self.person
        given = getattr(self, "self_check_given", {})
        if not given:
            return
        assert me.page.locator("[data-testid=prefilled]").count() == 1, (
            "the facts page says nothing was carried"
        )
        checked = []
        for name, value in self.route.facts.items():
            field = me.page.locator(f"main form [name='{name}']")
            if name not in given or not field.count():
                continue
            kind = field.evaluate("e => e.tagName + ':' + (e.type || '')")
            if kind == "INPUT:checkbox":
                assert field.is_checked() == bool(value), f"{name} is not carried from the self-check"
            elif not isinstance(value, bool):
                shown = field.input_value()
                assert shown == str(value), (
                    f"{name}: the facts page shows {shown!r}, the self-check had {value!r}"
                )
            checked.append(name)
        if self.route.days and "days_in_china_by_year" in given:
            shown = me.page.locator("[name='years-0-days']").input_value()
            assert shown == str(self.route.days[0]), f"days in China not carried: {shown!r}"
            checked.append("days_in_china_by_year")
        assert checked, f"none of {sorted(given)} is on the facts page"

    def facts(self) -> None:
        me = self.person
        self.check_prefilled()
        me.fill(self.route.facts)
        for row, days in enumerate(self.route.days):
            me.fill({f"years-{row}-year": str(self.year(row)), f"years-{row}-days": str(days)})
        me.press("Save and continue")
        assert "/steps/dependants/" in me.page.url, self.errors(me)

    @staticmethod
    def year(row: int) -> int:
        from .routes import THIS_YEAR

        return THIS_YEAR - 1 - row

    def dependants(self) -> None:
        me = self.person
        for person in self.route.dependants:
            me.page.locator("details summary").first.click()
            form = me.page.locator("details form")
            me.fill(
                {
                    "family_name": person.family_name,
                    "given_names": person.given_names,
                    "sex": person.sex,
                    "birth_date": person.birth_date,
                    "nationality": self.route.nationality,
                    "passport_number": person.passport_number,
                    "passport_expiry": "2034-01-01",
                    "email": self.email,
                    "address": "8 Zhujiang Road, Tianhe",
                    "province": "CN-GD",
                    "relationship": person.relationship,
                },
                within=form,
            )
            city = form.locator("[name=city_code]")
            city.select_option("440100") if city.evaluate("e => e.tagName") == "SELECT" else city.fill(
                "440100"
            )
            me.press("Add this family member", within=form)
            assert not me.page.locator(".error-summary").count(), self.errors(me)
        assert self.refresh().dependants.count() == len(self.route.dependants)
        me.follow("/steps/documents/")

    def documents(self, scan: dict) -> None:
        me = self.person
        asked = me.page.locator("main form input[name$='-document_type']").evaluate_all(
            "els => els.map(e => [e.value, e.form.querySelector(\"[name$='-dependant']\").value])"
        )
        mine = tuple(code for code, dependant in asked if not dependant)
        expected = self.route.documents
        if set(mine) != set(expected):
            code = {
                "talent": "green-checklist",
                "contribution": "green-checklist",
                "family": "former-national",
            }
            code = code.get(self.route.channel)
            detail = f"asked for {sorted(mine)}, the route needs {sorted(expected)}"
            if not code or code not in self.route.known_defects:
                raise AssertionError(detail)
            if not set(expected) <= set(mine):
                # What the route needs cannot even be uploaded: the journey stops here.
                raise self.blocking_defect(code, detail)
            # More than the route needs: a person uploads what is asked and goes on.
            self.defect(code, detail)
        theirs = [code for code, dependant in asked if dependant]
        assert sorted(theirs) == sorted(self.route.dependant_documents * len(self.route.dependants)), theirs
        # The photo's rules are on the page before the first attempt.
        photo = me.page.locator("main section.document-slot:has(input[value=photo]) p.help").first
        assert "300 × 370" in photo.inner_text(), photo.inner_text()
        for index in range(len(asked)):
            me.upload(me.page.locator("main section.document-slot").nth(index), scan)
            assert not me.page.locator(".error-summary, .errorlist, .field-error").count(), self.errors(me)
        assert me.page.locator("main .badge.warn").count() == 0, "a document is still missing"
        assert self.refresh().documents.count() == len(asked)
        me.follow("/steps/review/")

    def declare_and_submit(self) -> None:
        me = self.person
        me.page.locator("[name=declaration]").check()
        me.press("Submit the application")
        assert self.refresh().status == "submitted", self.errors(me)
        assert self.application.green_channel == self.route.green_channel

    def errors(self, actor: Actor) -> str:
        summary = actor.page.locator(".error-summary, .errorlist, [role=alert]")
        return f"{actor.page.url}: " + " | ".join(summary.all_inner_texts())[:800]

    def apply(self, scan: dict) -> None:
        self.self_check()
        self.register()
        self.start_application()
        self.profile()
        self.facts()
        self.dependants()
        self.documents(scan)
        self.declare_and_submit()

    # --- the officers --------------------------------------------------------------------------
    def open_case(self, actor: Actor, stage: str) -> None:
        reference = self.refresh().reference
        actor.go(f"/cases/?stage={stage}")
        actor.click(actor.page.get_by_role("link", name=reference))
        assert f"/cases/{self.application.pk}/" in actor.page.url

    def act(
        self,
        actor: Actor,
        code: str,
        reason: str = "",
        decisions: dict | None = None,
        grounds: tuple[str, ...] = (),
    ) -> None:
        form = actor.page.locator(f"form[action$='/actions/{code}/']")
        assert form.count(), f"{actor.name} has no '{code}' action on {actor.page.url}"
        for select, value in (decisions or {}).items():
            form.locator(f"[name='{select}']").select_option(value)
        # A refusal cites a requirement not met or a listed ground (R6, issue 16).
        for ground in grounds:
            form.locator(f"input[name='{code}-grounds'][value='{ground}']").check()
        if reason:
            form.locator("textarea").fill(reason)
        actor.click(form.locator("button[type=submit]"))
        assert not actor.page.locator(".messages .error, .error-summary").count(), self.errors(actor)

    def record_intake(self, ivan: Actor) -> None:
        """The in-person checks (passport original, photo, fingerprints), recorded from the case page (issue 15)."""
        link = ivan.page.locator(f"a[href$='/counters/intake/{self.application.pk}/']")
        assert link.count(), f"{ivan.name} has no link to record the in-person intake on {ivan.page.url}"
        ivan.click(link)
        for name in ("passport_checked", "photo_taken", "fingerprints_taken"):
            ivan.page.locator(f"input[name='{name}']").check()
        ivan.click(ivan.page.locator("#intake-form button[type=submit]"))
        assert not ivan.page.locator(".messages .error, .error-summary").count(), self.errors(ivan)
        ivan.go(f"/cases/{self.application.pk}/")

    def intake(self, *, returned: bool = False) -> None:
        with self.as_officer("intake") as ivan:
            self.open_case(ivan, "intake")
            if returned:
                self.act(ivan, "return", "Page 2 of the passport scan is missing.")
                assert self.refresh().status == "returned"
                return
            self.record_intake(ivan)
            self.act(ivan, "accept")
        self.wait_for_status("verifying", "in_review")

    def nomination_confirmed(self) -> None:
        """The nominating body's staff confirm the nomination in the browser; the case waits until then (R11)."""
        if self.route.channel != "contribution":
            return
        from applications.models import Nomination

        code = self.route.facts["nominating_body"]
        assert self.refresh().status == "verifying", "a contribution case must wait for its nominating body"
        with self.as_officer(f"nominator-{code}") as body:
            body.go("/nominations/")
            body.click(body.page.get_by_role("link", name=self.application.reference))
            body.page.locator("input[name=decision][value=confirm]").check()
            body.page.locator("[name=reference]").fill(f"NOM-{self.application.pk:05d}")
            body.press("Send the answer")
            assert "/nominations/" in body.page.url, self.errors(body)
        nomination = Nomination.objects.get(application=self.application)
        assert nomination.state == "confirmed" and nomination.reference == f"NOM-{self.application.pk:05d}"

    def verification_finishes(self) -> None:
        """The worker asks the simulator; the case reaches review with every check answered."""
        from verification.models import VerificationCheck

        self.wait_for_status("in_review", timeout=90)
        checks = VerificationCheck.objects.filter(application=self.application)
        assert checks.exists(), "no verification check was made"
        unanswered = checks.filter(status__in=["pending", "in_flight"])
        assert not unanswered.exists(), list(unanswered.values_list("kind", "status"))

    def resubmit_after_return(self, scan: dict) -> None:
        me = self.person
        me.go(f"/applications/{self.application.pk}/")
        assert me.page.locator("#returned-heading").count(), "the reason for the return is not shown"
        assert "Page 2 of the passport scan is missing." in me.page.locator("main").inner_text()
        me.follow("/steps/profile/")
        me.press("Save and continue")
        me.press("Save and continue")
        me.follow("/steps/documents/")
        me.upload(me.page.locator("main section.document-slot:has(input[value=passport])").first, scan)
        me.follow("/steps/review/")
        self.declare_and_submit()

    def evidence_round(self, reviewer: Actor, scan: dict) -> None:
        message = "Please send your most recent individual income tax record."
        self.act(reviewer, "request_evidence", message)
        assert self.refresh().status == "evidence_requested"
        me = self.person
        me.go(f"/applications/{self.application.pk}/")
        assert message in me.page.locator("main").inner_text()
        me.follow("/evidence/")
        me.page.locator("[name=answer]").fill("The tax record is attached.")
        me.page.locator("input[type=file]").set_input_files(scan)
        me.click(me.page.locator("main form button[type=submit]"))
        assert self.refresh().status in ("evidence_submitted", "in_review"), self.errors(me)
        reviewer.go(f"/cases/{self.application.pk}/")
        assert "The tax record is attached." in reviewer.page.locator("main").inner_text()

    def review(self, scan: dict, *, recommend: str = "recommend_approval") -> None:
        self.verification_finishes()
        with self.as_officer("review") as rita:
            self.open_case(rita, "review")
            if self.route.evidence_round:
                self.evidence_round(rita, scan)
            reason = (
                "The conditions of the route are met and every check agrees."
                if recommend == "recommend_approval"
                else "The stated employment could not be confirmed."
            )
            self.act(
                rita,
                recommend,
                reason,
                grounds=("facts_not_confirmed",) if recommend == "recommend_refusal" else (),
            )
        assert self.refresh().stage == "approval"

    def decide(self, code: str = "approve") -> None:
        with self.as_officer("approval") as nadia:
            self.open_case(nadia, "approval")
            decisions = {}
            for dependant, decision in zip(
                self.application.dependants.order_by("pk"), self.route.dependant_decisions, strict=True
            ):
                decisions[f"approve-dependant-{dependant.pk}"] = decision
            reason = "" if code == "approve" else "The stated employment could not be confirmed."
            self.act(
                nadia,
                code,
                reason,
                decisions if code == "approve" else None,
                grounds=("facts_not_confirmed",) if code == "refuse" else (),
            )
        if code == "approve":
            for dependant, decision in zip(
                self.application.dependants.order_by("pk"), self.route.dependant_decisions, strict=True
            ):
                assert dependant.decision == decision, (dependant, dependant.decision)

    # --- the card ------------------------------------------------------------------------------
    def pay_fee(self) -> None:
        """The card fee, paid in the browser: status page, order page, the provider's page, back."""
        from django.conf import settings

        from payments.models import PaymentOrder

        order = PaymentOrder.objects.filter(application=self.application).first()
        if not settings.PAYMENTS_FEES_CHARGED:
            return
        # The journeys' policy is the default one: it charges the issuance fee and waives none.
        assert order is not None, "no card-fee order after approval"
        me = self.person
        me.go(f"/applications/{self.application.pk}/")
        me.click(me.page.get_by_role("link", name=me.t("Pay the card fee")))
        # The form's answer is a redirect to the provider: its page is not the portal's (not checked).
        me.page.get_by_role("button", name=me.t("Pay the card fee")).click()
        provider = settings.PAYMENTS_PROVIDER_PUBLIC_URL.rstrip("/")
        me.page.wait_for_url(lambda url: url.startswith(f"{provider}/pay/"))
        me.page.locator("button#pay").click()
        me.page.wait_for_url(lambda url: url.endswith(f"/payments/orders/{order.pk}/"))
        me.check_page()
        order.refresh_from_db()
        assert order.status == PaymentOrder.Status.PAID, order.status

    def card(self) -> str:
        """The card issued by the worker, its PDF downloaded, its QR code read and opened."""
        from cards.models import Card, CardDocument
        from tests.cards.pdftools import qr_codes

        self.pay_fee()
        self.wait_for_status("card_issued", timeout=90)
        card = Card.objects.get(application=self.application)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            document = CardDocument.objects.filter(card=card, kind=CardDocument.Kind.CARD).first()
            if document and document.state == CardDocument.State.READY:
                break
            time.sleep(0.3)
        else:
            raise AssertionError("the card PDF was not rendered")
        me = self.person
        me.go(f"/applications/{self.application.pk}/")
        link = me.page.locator("main a[href*='/cards/']")
        if link.count():
            me.click(link.first)
        else:
            self.defect("card-link", f"status page {me.page.url}")
            me.go("/cards/mine/")
        assert card.number in me.page.locator("main").inner_text()
        with me.page.expect_download() as download:
            me.page.locator(f"a[href$='/cards/documents/{document.pk}/']").click()
        pdf = Path(download.value.path()).read_bytes()
        assert pdf.startswith(b"%PDF")
        (url,) = qr_codes(pdf)
        self.card_url = url
        self.open_card_check(expected="issued")
        return card.number

    def open_card_check(self, *, expected: str) -> None:
        """The public card check, opened from the QR code's address as a counter clerk would."""
        clerk = Actor(self, "counter")
        self.actors.append(clerk)
        parsed = urlparse(self.card_url)
        assert parsed.path.startswith("/cards/verify/"), self.card_url
        clerk.go(self.card_url if self.card_url.startswith(self.base_url) else parsed.path)
        heading = clerk.page.get_by_role("heading", level=1).inner_text()
        label = {"issued": "Valid", "revoked": "Revoked"}[expected]
        assert heading == clerk.t(label, "card status"), heading
        assert clerk.page.locator(f".verify-status.verify-{expected}").count() == 1

    # --- the other ends ------------------------------------------------------------------------
    def refusal_letter(self) -> None:
        from cards.models import CardDocument
        from tests.cards.pdftools import pdf_text

        self.wait_for_status("refused")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            letter = CardDocument.objects.filter(
                application=self.application, kind=CardDocument.Kind.REFUSAL_LETTER
            ).first()
            if letter and letter.state == CardDocument.State.READY:
                break
            time.sleep(0.3)
        else:
            raise AssertionError("the refusal letter was not rendered")
        me = self.person
        me.go(f"/applications/{self.application.pk}/")
        me.go("/notifications/")
        assert self.application.reference in me.page.locator("main").inner_text()
        me.go("/cards/mine/")
        with me.page.expect_download() as download:
            me.page.locator(f"a[href$='/cards/documents/{letter.pk}/']").click()
        text = pdf_text(Path(download.value.path()).read_bytes())
        assert self.application.reference in text
        assert "The stated employment could not be confirmed." in text

    def withdraw(self) -> None:
        me = self.person
        me.go(f"/applications/{self.application.pk}/")
        me.follow("/withdraw/")
        me.page.locator("[name=reason]").fill("I am moving to another country.")
        me.press("Yes, withdraw it")
        assert self.refresh().status == "withdrawn"
        me.go("/applications/")
        assert self.application.reference in me.page.locator("main").inner_text()

    def revoke(self, card_number: str) -> None:
        from applications.models import Notification

        before = Notification.objects.filter(recipient__email=self.email).count()
        with self.as_officer("management") as mona:
            mona.go("/cards/revocations/")
            mona.fill({"card_number": card_number, "ground": "fraud"})
            mona.page.locator("[name=evidence]").fill("The marriage certificate was forged.")
            mona.click(mona.page.locator("main form button[type=submit]").first)
            assert re.search(r"/cards/revocations/\d+/", mona.page.url), self.errors(mona)
            case_path = urlparse(mona.page.url).path
        with self.as_officer("approval") as nadia:
            nadia.go(case_path)
            nadia.page.locator("input[name=decision][value=revoke]").check()
            nadia.page.locator("[name=reason]").fill("Forged marriage certificate (see evidence).")
            nadia.click(nadia.page.locator("main form button[type=submit]").last)
        self.open_card_check(expected="revoked")
        me = self.person
        me.go("/cards/mine/")
        assert card_number in me.page.locator("main [role=alert]").inner_text()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            mails = [p.read_text() for p in self.mail_dir.glob("*.log")]
            mails = [m for m in mails if card_number in m and self.email in m]
            if mails:
                break
            time.sleep(0.3)
        else:
            raise AssertionError("no revocation e-mail reached the holder")
        me.go("/notifications/")
        if Notification.objects.filter(recipient__email=self.email).count() == before:
            self.defect("revocation-inbox", "no notification after the revocation")

    # --- the whole life ------------------------------------------------------------------------
    def live(self, scan: dict) -> None:
        route = self.route
        self.apply(scan)
        if route.ending == "withdrawn":
            self.withdraw()
            return
        if route.returned_once:
            self.intake(returned=True)
            self.resubmit_after_return(scan)
        self.intake()
        self.nomination_confirmed()
        if route.ending == "refused":
            self.review(scan, recommend="recommend_refusal")
            self.decide("refuse")
            self.refusal_letter()
            return
        self.review(scan)
        self.decide("approve")
        number = self.card()
        if route.ending == "revoked":
            self.revoke(number)
