"""People and organisations: users (email login), roles, agencies and immigration offices."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from residence import languages
from residence.regions import PROVINCE_CHOICES


class Role(models.TextChoices):
    """The roles of R4; each is a Group of the same name, created by a data migration."""

    APPLICANT = "applicant", _("Applicant")
    INTERMEDIARY = "intermediary", _("Intermediary")
    INTAKE_OFFICER = "intake_officer", _("Intake officer")
    REVIEWER = "reviewer", _("Reviewer")
    APPROVER = "approver", _("Approver")
    MANAGEMENT_OFFICER = "management_officer", _("Management officer")
    POLICY_ADMIN = "policy_admin", _("Policy administrator")
    AGENCY_STAFF = "agency_staff", _("Agency staff")
    AGENCY_SUPERVISOR = "agency_supervisor", _("Agency supervisor")
    # Staff of a recognised nominating body (R11): they confirm or decline the nominations naming it.
    NOMINATING_BODY_STAFF = "nominating_body_staff", _("Nominating-body staff")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    # R5: the policy expert consultation mechanism; reads anonymised research extracts only.
    POLICY_EXPERT = "policy_expert", _("Policy expert")
    # R20, issue 15: staff of a one-stop service window (an office or a foreign-talent service
    # centre, their `office`); they file for walk-in applicants and hand over cards.
    COUNTER_STAFF = "counter_staff", _("Counter staff")


# The one definition of "officer": the case officers, who see and act on cases in their office's
# area (intake, review, approval, and management, who assign and oversee the work). The policy
# administrator sets the policy and the quotas but handles no case: keeping them out of the case
# roles keeps the one who writes the rules apart from those who apply them (a page or API that is
# for both names the policy administrator as well). A superuser counts as an officer, as Django's
# superuser holds every permission.
CASE_OFFICER_ROLES: tuple[str, ...] = (
    Role.INTAKE_OFFICER,
    Role.REVIEWER,
    Role.APPROVER,
    Role.MANAGEMENT_OFFICER,
)
# The staff who belong to an office of the administration: the case officers and the policy
# administrator.
OFFICE_ROLES = frozenset({*CASE_OFFICER_ROLES, Role.POLICY_ADMIN, Role.COUNTER_STAFF})
AGENCY_ROLES = frozenset({Role.AGENCY_STAFF, Role.AGENCY_SUPERVISOR})


class BilingualNameMixin(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "en").startswith("zh") else self.name_en


class Agency(BilingualNameMixin):
    """A government department other than the immigration administration (R5, R18, R25)."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        ADMINISTRATION = "administration", _("Administration")
        COMMISSION = "commission", _("Commission")
        BUREAU = "bureau", _("Bureau")
        BANK = "bank", _("Central bank")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MINISTRY)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")


class Office(BilingualNameMixin):
    """An office of the immigration administration; its area bounds its officers' jurisdiction."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        MUNICIPAL = "municipal", _("Municipal")

    class Kind(models.TextChoices):
        EXIT_ENTRY_OFFICE = "office", _("Exit-entry office")
        # R20: a one-stop window for foreign talent, in the tree under the office it belongs to.
        SERVICE_CENTRE = "service_centre", _("Foreign-talent service centre")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EXIT_ENTRY_OFFICE)
    # Where walk-in applicants and card holders go; opening hours belong to the appointments app.
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    address_zh = models.CharField(_("address (Chinese)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # National: blank; provincial: the province; municipal: the province and the city's code.
    province = models.CharField(_("province"), max_length=8, choices=PROVINCE_CHOICES, blank=True)
    city_code = models.CharField(_("city code (GB/T 2260)"), max_length=6, blank=True)

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="national", province="")
                | models.Q(level="provincial", city_code="") & ~models.Q(province="")
                | models.Q(level="municipal") & ~models.Q(province="") & ~models.Q(city_code=""),
                name="office_area_matches_level",
            )
        ]

    @property
    def address(self) -> str:
        zh = (get_language() or "en").startswith("zh")
        return (self.address_zh or self.address_en) if zh else (self.address_en or self.address_zh)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # Logins are case-insensitive on the address.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        # A callable reading settings.LANGUAGES: adding a language needs no migration here.
        choices=languages.choices,
        default="en",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Set when the owner opens the link of a verification e-mail: an account may draft without it,
    # but not submit (residence/accounts/verification.py).
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    # Changed whenever the password, roles or active state change. It is part of the session hash,
    # so every session made before the change ends (residence/accounts/tokens.py).
    credentials_stamp = models.CharField(max_length=32, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def _get_session_auth_hash(self, secret=None):
        # Django's hash of the password, with the stamp: a new stamp logs out every session.
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        value = f"{self.password}:{self.credentials_stamp}" if self.credentials_stamp else self.password
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @cached_property
    def roles(self) -> frozenset[str]:
        names = frozenset(self.groups.values_list("name", flat=True))
        return names | ({Role.SYSTEM_ADMIN.value} if self.is_superuser else frozenset())

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_officer(self) -> bool:
        """A case officer (CASE_OFFICER_ROLES) or a superuser; see `is_officer` for any user."""
        return self.is_superuser or self.has_role(*CASE_OFFICER_ROLES)

    @property
    def is_audit_reader(self) -> bool:
        """System and policy administrators read the audit log (the audit page asks the user, so
        the audit package names no role)."""
        return self.has_role(Role.SYSTEM_ADMIN, Role.POLICY_ADMIN)

    @property
    def is_agency_user(self) -> bool:
        return self.has_role(*AGENCY_ROLES)

    @property
    def primary_role(self) -> str | None:
        """The role whose home page the user lands on; the most specific one wins."""
        for role in (
            Role.SYSTEM_ADMIN,
            Role.POLICY_ADMIN,
            Role.APPROVER,
            Role.REVIEWER,
            Role.INTAKE_OFFICER,
            Role.MANAGEMENT_OFFICER,
            Role.AGENCY_SUPERVISOR,
            Role.AGENCY_STAFF,
            Role.POLICY_EXPERT,
            Role.NOMINATING_BODY_STAFF,
            Role.COUNTER_STAFF,
            Role.INTERMEDIARY,
            Role.APPLICANT,
        ):
            if role in self.roles:
                return role
        return None


def is_officer(user) -> bool:
    """`User.is_officer` for any request user: anonymous visitors and None are not officers."""
    return bool(user is not None and user.is_authenticated and user.is_officer)
