"""Django admin for units, lineage, users and memberships. Saves go through the services (audited)."""

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .audit import audit_record
from .models import (
    ApiToken,
    AuditEvent,
    AwardStep,
    AwardType,
    BaseSalary,
    BasisScope,
    Campaign,
    CampaignAwardType,
    CampaignLegalBasis,
    CampaignParticipantChange,
    LegalBasis,
    Membership,
    NominationQuota,
    OutlineItem,
    PrizeRate,
    Reorganisation,
    ReorganisationChange,
    ReportOutline,
    Unit,
    UnitKind,
    UnitLineage,
    UnitPlacement,
    User,
    WorkdayChange,
    default_participant_kinds,
)
from .selectors.audit import audit_events
from .selectors.org import inherited_access_rows
from .selectors.reorganisations import reorganisation_outcome
from .services import accounts as account_services
from .services import api as api_services
from .services import campaigns as campaign_services
from .services import inheritance as inheritance_services
from .services import reorganisations as reorganisation_services
from .views.http import client_ip

admin.site.site_header = _("TĐKT administration")
admin.site.site_title = _("TĐKT administration")
admin.site.index_title = _("Units, users and memberships")


class NoDeleteMixin:
    """Units, memberships and users are closed or deactivated, never deleted: history must stay."""

    def has_delete_permission(self, request, obj=None):
        return False


class UnitAdminForm(forms.ModelForm):
    parent_since = forms.DateField(
        label=_("New parent since"),
        required=False,
        help_text=_(
            "When the unit moves to another parent, the first day under the new one: campaigns dated earlier "
            "keep rolling up under the old parent. Leave empty to correct a mistake (the unit has always "
            "belonged to the new parent)."
        ),
    )

    class Meta:
        model = Unit
        fields = ("code", "name", "short_name", "kind", "parent", "valid_from", "valid_to", "email", "governing_body",
                  "place_name", "executing_office", "recipients")  # fmt: skip

    def clean(self):
        data = super().clean()
        since = data.get("parent_since")
        if since and self.instance.pk:
            if "parent" not in self.changed_data:
                self.add_error("parent_since", _("Give this date only when you change the parent unit."))
            else:
                try:
                    services.unit_move_check(unit=self.instance, since=since)
                except ValidationError as error:
                    self.add_error(None, error)
        return data


class UnitPlacementInline(admin.TabularInline):
    model = UnitPlacement
    fk_name = "unit"
    fields = ("parent", "until", "note")
    readonly_fields = ("parent", "until", "note")
    extra = 0
    can_delete = False
    verbose_name_plural = _("earlier placements (recorded when the parent changes with a date)")

    def has_add_permission(self, request, obj=None):
        return False


class InheritedAccessForm(forms.Form):
    allowed = forms.TypedChoiceField(
        label=_("Decision"), coerce=lambda v: v == "1",
        choices=[("0", _("Revoke this member's access")), ("1", _("Give the access back"))],
    )  # fmt: skip
    reason = forms.CharField(label=_("Reason"), max_length=255)


@admin.register(Unit)
class UnitAdmin(NoDeleteMixin, admin.ModelAdmin):
    form = UnitAdminForm
    list_display = ("name", "code", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name", "code", "short_name")
    autocomplete_fields = ("parent", "governing_body")
    ordering = ("sort_key",)
    inlines = [UnitPlacementInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_fields(self, request, obj=None):
        fields = list(UnitAdminForm.Meta.fields)
        if obj is not None:  # a new unit has no earlier parent; only an existing one can have successors
            fields.insert(fields.index("parent") + 1, "parent_since")
            fields.append("inherited_access")
        return fields

    def save_model(self, request, obj, form, change):
        fields = {f: form.cleaned_data[f] for f in services.UNIT_EDITABLE if f in form.cleaned_data}
        if change:
            services.unit_update(
                by=request.actor, unit=obj, parent_since=form.cleaned_data.get("parent_since"), **fields
            )
        else:
            created = services.unit_create(by=request.actor, **fields)
            obj.pk = created.pk

    def get_readonly_fields(self, request, obj=None):
        return ("inherited_access",) if obj is not None else ()

    @admin.display(description=_("Inherited access"))
    def inherited_access(self, obj):
        """Who reads this unit's files as a member of a successor, and the exceptions (awards.selectors.org)."""
        rows = inherited_access_rows(unit=obj)
        if not rows:
            return _("Nobody: this unit has no successor, or its successors have no members.")
        return render_to_string("admin/awards/unit/_inherited_access.html", {"rows": rows, "unit": obj})

    def get_urls(self):
        view = self.admin_site.admin_view(self.inherited_access_view)
        own = [path("<int:pk>/inherited/<int:user_pk>/", view, name="awards_unit_inherited_access")]
        return own + super().get_urls()

    def inherited_access_view(self, request, pk, user_pk):
        """One member's inherited access to this (predecessor) unit, revoked or given back with a reason."""
        unit = Unit.objects.filter(pk=pk).first()
        user = User.objects.filter(pk=user_pk).first()
        if unit is None or user is None or not self.has_change_permission(request, unit):
            raise PermissionDenied
        form = InheritedAccessForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                inheritance_services.inherited_access_decide(
                    by=request.actor, user=user, unit=unit, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved: %(user)s's access to the files of %(unit)s.")
                                 % {"user": user.display_name, "unit": unit.name})  # fmt: skip
                return redirect("admin:awards_unit_change", unit.pk)
        context = {**self.admin_site.each_context(request), "opts": Unit._meta, "original": unit, "form": form,
                   "member": user, "title": _("Inherited access to %(unit)s") % {"unit": unit.name}}  # fmt: skip
        return TemplateResponse(request, "admin/awards/unit/inherited_access.html", context)


@admin.register(UnitLineage)
class UnitLineageAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("predecessor", "kind", "successor", "effective_on")
    autocomplete_fields = ("predecessor", "successor")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            audit_record(actor=request.actor, action="lineage_updated", obj=obj, unit=obj.predecessor)
        else:
            created = services.lineage_record(
                by=request.actor,
                **{f: form.cleaned_data[f] for f in ("predecessor", "successor", "kind", "effective_on", "note")},
            )
            obj.pk = created.pk


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", "unit", "role", "title", "acting_for", "valid_from", "valid_to", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An acting membership takes its unit and role from the membership it stands in for.
        for name in ("unit", "role"):
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        data = super().clean()
        instance = self.instance
        acting_for = data.get("acting_for")
        if acting_for is not None:
            data["unit"], data["role"] = acting_for.unit, acting_for.role
        elif not instance.pk:
            for name in ("unit", "role"):
                if not data.get(name):
                    self.add_error(name, forms.ValidationError(_("This field is required."), code="required"))
            if self.errors:
                return data
        services.membership_rules_check(
            user=data.get("user", instance.user if instance.pk else None),
            unit=data.get("unit", instance.unit if instance.pk else None),
            role=data.get("role", ""),
            acting_for=data.get("acting_for", instance.acting_for if instance.pk else None),
            valid_from=data.get("valid_from"),
            valid_to=data.get("valid_to"),
        )
        return data


@admin.register(Membership)
class MembershipAdmin(NoDeleteMixin, admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ("user", "role", "unit", "acting_for", "valid_from", "valid_to", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__full_name", "unit__name", "unit__code")
    autocomplete_fields = ("user", "unit", "acting_for")

    def get_readonly_fields(self, request, obj=None):
        # A membership's person, unit and stand-in link are fixed once granted; end it and grant anew.
        return ("user", "unit", "acting_for") if obj else ()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.membership_update(
                by=request.actor, membership=obj, **{f: data[f] for f in services.MEMBERSHIP_EDITABLE if f in data}
            )
        elif data.get("acting_for"):
            obj.pk = services.membership_grant_acting(
                by=request.actor, user=data["user"], acting_for=data["acting_for"],
                valid_from=data["valid_from"], valid_to=data["valid_to"], title=data.get("title", ""),
            ).pk  # fmt: skip
        else:
            obj.pk = services.membership_grant(
                by=request.actor, user=data["user"], unit=data["unit"], role=data["role"],
                title=data.get("title", ""), valid_from=data.get("valid_from"), valid_to=data.get("valid_to"),
            ).pk  # fmt: skip


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("unit", "role", "title", "acting_for", "valid_from", "valid_to", "is_active")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(NoDeleteMixin, DjangoUserAdmin):
    list_display = ("username", "full_name", "email", "is_active", "last_login")
    search_fields = ("username", "full_name", "email")
    ordering = ("sort_key",)
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "email", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = ["send_set_password_email"]

    @admin.action(description=_("Send the set-password e-mail again (accounts without a password yet)"))
    def send_set_password_email(self, request, queryset):
        sent = account_services.account_invite_again(by=request.actor, users=queryset)
        self.message_user(request, _("Set-password e-mails sent: %(n)s.") % {"n": sent})

    def save_model(self, request, obj, form, change):
        if change and "is_active" in form.changed_data and not obj.is_active:
            obj.is_active = True  # let the service record the transition and end the sessions
            super().save_model(request, obj, form, change)
            services.user_deactivate(by=request.actor, user=obj)
            return
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.actor,
            action="user_changed" if change else "user_created",
            obj=obj,
            detail={"fields": form.changed_data},
        )

    def user_change_password(self, request, id, form_url=""):
        """Django's page; a password it sets (or password sign-in it switches off) is audited and the user told,
        in the transaction that changes it."""
        with transaction.atomic():
            before = User.objects.filter(pk=unquote(id)).values_list("password", flat=True).first()
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and before is not None:
                user = User.objects.get(pk=unquote(id))
                if user.password != before:
                    account_services.password_set_record(by=request.actor, user=user)
        return response


class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    """axes' failed-login records: deleting one unlocks the account it locked, and is audited."""

    def delete_model(self, request, obj):
        with transaction.atomic():
            account_services.lockouts_cleared(by=request.actor, attempts=[obj])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            account_services.lockouts_cleared(by=request.actor, attempts=list(queryset))
            super().delete_queryset(request, queryset)


# In axes' place, where axes registered it (unregistering and registering again would reorder the admin's URLs).
admin.site._registry[AccessAttempt] = AccessAttemptAdmin(AccessAttempt, admin.site)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "actor", "on_behalf_of", "unit", "subject", "from_state", "to_state")
    list_filter = ("action",)
    search_fields = ("object_repr", "actor__username", "action")
    date_hierarchy = "at"

    def get_queryset(self, request):
        return audit_events()  # each row shows its object's current name, read for the page in bulk

    @admin.display(description=_("object"))
    def subject(self, obj: AuditEvent) -> str:
        return obj.subject_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Personal API tokens: an administrator sees them (never the token itself, only its first characters) and
    revokes them; each revocation is audited (awards.services.api.token_revoke). Only owners make tokens."""

    list_display = ("name", "token_key", "user", "membership", "created", "expiry")
    list_select_related = ("user", "membership__unit", "membership__user")
    search_fields = ("name", "token_key", "user__username", "user__full_name")
    readonly_fields = ("name", "token_key", "user", "membership", "created", "expiry")
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        api_services.token_revoke(by=request.actor, token=obj, ip=client_ip(request))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for token in queryset.select_related("membership__unit"):
                api_services.token_revoke(by=request.actor, token=token, ip=client_ip(request))


# Only what administrators manage stays in the admin. viewflow's process and task admins would show
# every process to anyone holding model permissions, bypassing our selectors; beat schedules are
# code-defined; groups are managed by services.
for _model in (
    "auth.Group",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "viewflow.Process",
    "viewflow.Task",
    "django_celery_beat.PeriodicTask",
    "django_celery_beat.ClockedSchedule",
    "django_celery_beat.CrontabSchedule",
    "django_celery_beat.SolarSchedule",
    "django_celery_beat.IntervalSchedule",
    "knox.AuthToken",  # swapped for awards.ApiToken (below): knox's own table does not exist
):
    _app_label, _model_name = _model.split(".")
    _registered = next((m for m in admin.site._registry if m._meta.label == _model), None)
    if _registered is not None:
        admin.site.unregister(_registered)


# Campaigns ---------------------------------------------------------------------------------------


class CampaignAdminForm(forms.ModelForm):
    participant_kinds = forms.MultipleChoiceField(
        label=_("participating unit kinds"), choices=UnitKind.choices, widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("A new campaign starts with the kinds of today's structure: district-level committees while "
                    "they exist, commune-level units from 1/7/2025 (they then report to the province directly)."),
    )  # fmt: skip

    class Meta:
        model = Campaign
        fields = campaign_services.CAMPAIGN_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("participant_kinds", default_participant_kinds(timezone.localdate()))

    def clean_participant_kinds(self):
        """No district-level committee on the reference date (the two-tier structure): ticking them selects
        nobody, so the form says so rather than leaving the communes out unnoticed."""
        kinds = self.cleaned_data["participant_kinds"]
        day = self.cleaned_data.get("reference_date") or self.cleaned_data.get("data_to")
        if UnitKind.DISTRICT_COMMITTEE in kinds and day and not Unit.objects.intermediate_on(day).exists():
            raise forms.ValidationError(
                _("No district-level committee exists on the reference date %(day)s: untick them and tick "
                  "commune-level units, which take part directly.") % {"day": day.strftime("%d/%m/%Y")}
            )  # fmt: skip
        return kinds

    def clean(self):
        data = super().clean()
        probe = Campaign(
            **{f: data.get(f) for f in ("plan_date", "data_from", "data_to", "report_deadline", "nomination_deadline")}
        )
        try:
            campaign_services.check_campaign(probe)
            if self.instance.pk and "outline" in data:
                campaign_services.outline_change_check(
                    campaign=Campaign.objects.get(pk=self.instance.pk), outline=data["outline"]
                )
        except ValidationError as error:
            raise forms.ValidationError(
                error.message_dict if hasattr(error, "error_dict") else error.messages
            ) from None
        return data


class CampaignLegalBasisInline(admin.TabularInline):
    """The campaign's own directives and plans; national acts are cited by date without being listed."""

    model = CampaignLegalBasis
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "legal_basis":
            kwargs["queryset"] = LegalBasis.objects.filter(scope=BasisScope.CAMPAIGN)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ParticipantChangeInline(admin.TabularInline):
    model = CampaignParticipantChange
    extra = 1
    autocomplete_fields = ("unit",)


class AwardOfferedInline(admin.TabularInline):
    model = CampaignAwardType
    extra = 1
    verbose_name_plural = _("award types offered")


class QuotaInline(admin.TabularInline):
    model = NominationQuota
    extra = 1


@admin.register(Campaign)
class CampaignAdmin(NoDeleteMixin, admin.ModelAdmin):
    form = CampaignAdminForm
    list_display = ("plan_reference", "title", "plan_date", "report_deadline", "outline")
    search_fields = ("title", "plan_number")
    autocomplete_fields = ("issuer", "reviewer", "commune_reviewer", "outline")
    inlines = [CampaignLegalBasisInline, ParticipantChangeInline, AwardOfferedInline, QuotaInline]

    def save_model(self, request, obj, form, change):
        fields = {f: form.cleaned_data[f] for f in campaign_services.CAMPAIGN_FIELDS if f in form.cleaned_data}
        if change:
            campaign_services.campaign_update(by=request.actor, campaign=obj, **fields)
        else:
            obj.pk = campaign_services.campaign_create(by=request.actor, **fields).pk


class AwardStepInline(admin.TabularInline):
    model = AwardStep
    fields = ("step", "role", "unit", "time_limit_days")
    autocomplete_fields = ("unit",)
    extra = 0
    can_delete = False  # every step of the route needs its rule

    def has_add_permission(self, request, obj=None):
        return obj is None  # the rules come with the tier; one per step


class PrizeRateInline(admin.TabularInline):
    """Prize money = this coefficient × the base salary in force on the decision's date."""

    model = PrizeRate
    extra = 0
    fields = ("nominee_kind", "coefficient")


@admin.register(AwardType)
class AwardTypeAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Tiers and who acts at each step of their route. The route itself is code (workflows/flows.py)."""

    list_display = ("name", "code", "route", "accepts_collectives", "accepts_individuals")
    fields = ("code", "name", "authority", "deciding_unit", "route", "accepts_collectives", "accepts_individuals",
              "position", "decision_symbol", "certificate_layout")  # fmt: skip
    autocomplete_fields = ("deciding_unit",)
    inlines = [AwardStepInline, PrizeRateInline]

    def get_readonly_fields(self, request, obj=None):
        return ("route",) if obj is not None and obj.nomination_set.exists() else ()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(actor=request.actor, action="award_type_saved", obj=obj)


@admin.register(BaseSalary)
class BaseSalaryAdmin(NoDeleteMixin, admin.ModelAdmin):
    """The base salary (lương cơ sở) and the day it took effect: prize money uses the one of each decision's date."""

    list_display = ("in_force_from", "amount", "legal_basis")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(actor=request.actor, action="base_salary_saved", obj=obj,
                              detail={"amount": obj.amount, "from": obj.in_force_from.isoformat()})  # fmt: skip


@admin.register(WorkdayChange)
class WorkdayChangeAdmin(admin.ModelAdmin):
    """The swapped days of each year (làm bù, nghỉ bù), on top of the public holidays the code knows."""

    list_display = ("day", "kind", "note")
    list_filter = ("kind",)
    date_hierarchy = "day"


class LegalBasisAdminForm(forms.ModelForm):
    applies_to = forms.MultipleChoiceField(
        label=_("deciding bodies"), choices=UnitKind.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Unit kinds whose documents cite it (none ticked: every issuing body)."),
    )  # fmt: skip

    class Meta:
        model = LegalBasis
        fields = ("number", "doc_type", "issued_on", "issuer", "title", "in_force_from", "in_force_to", "scope",
                  "slot", "applies_to", "amends", "replaced_by", "source")  # fmt: skip

    def _post_clean(self):
        super()._post_clean()  # the instance now holds what was typed
        if not self.errors:
            try:
                campaign_services.legal_basis_check(self.instance)
            except ValidationError as error:
                self._update_errors(error)


@admin.register(LegalBasis)
class LegalBasisAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Laws, decrees and plans by date: documents cite the national ones in force on their date for their
    issuing body, then their campaign's own."""

    form = LegalBasisAdminForm
    list_display = ("number", "doc_type", "title", "scope", "slot", "in_force_from", "in_force_to")
    list_filter = ("scope", "slot")
    search_fields = ("number", "title")

    def save_model(self, request, obj, form, change):
        campaign_services.legal_basis_save(by=request.actor, basis=obj)


class OutlineItemAdminForm(forms.ModelForm):
    applies_to = forms.MultipleChoiceField(
        label=_("applies to unit kinds"), choices=UnitKind.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = OutlineItem
        fields = ("position", "code", "number", "kind", "text", "unit_label", "required", "applies_to", "parent")


class OutlineItemInline(admin.StackedInline):
    model = OutlineItem
    form = OutlineItemAdminForm
    fk_name = "outline"
    extra = 0
    ordering = ("position",)

    def _editable(self, obj) -> bool:
        return obj is None or not campaign_services.outline_is_fixed(obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(ReportOutline)
class ReportOutlineAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("title", "code", "version", "based_on")
    search_fields = ("title", "code")
    readonly_fields = ("based_on",)
    inlines = [OutlineItemInline]
    actions = ["copy_outline"]

    @admin.action(description=_("Copy to a new version (to edit for the next campaign)"))
    def copy_outline(self, request, queryset):
        for outline in queryset:
            copy = campaign_services.outline_copy(by=request.actor, outline=outline)
            self.message_user(
                request, _("Created %(outline)s; edit it, then choose it for the new campaign.") % {"outline": copy}
            )


# Reorganisations and inherited access ------------------------------------------------------------


class ReorganisationChangeInline(admin.StackedInline):
    model = ReorganisationChange
    fields = ("position", "kind", "predecessors", "successors", "files_to", "members", "new_name", "new_short_name",
              "new_parent")  # fmt: skip
    autocomplete_fields = ("predecessors", "successors", "files_to", "new_parent")
    extra = 1

    def _editable(self, obj) -> bool:
        return obj is None or obj.editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Reorganisation)
class ReorganisationAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Recorded as a draft with its changes, previewed, then applied or undone as one operation (the buttons on
    its page lead to the preview and the undo confirmation)."""

    list_display = ("title", "effective_on", "legal_basis", "status")
    list_filter = ("status",)
    search_fields = ("title", "legal_basis")
    fields = ("title", "effective_on", "legal_basis", "source", "note", "status", "applied_at", "applied_by")
    readonly_fields = ("status", "applied_at", "applied_by")
    inlines = [ReorganisationChangeInline]
    change_form_template = "admin/awards/reorganisation/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.editable:
            return ("title", "effective_on", "legal_basis", "source", "note", *self.readonly_fields)
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            audit_record(actor=request.actor, action="reorganisation_changed", obj=obj, unit=None,
                         detail={"fields": sorted(form.changed_data)})  # fmt: skip
        else:
            data = {f: form.cleaned_data[f] for f in ("title", "effective_on", "legal_basis", "source", "note")}
            created = reorganisation_services.reorganisation_create(by=request.actor, **data)
            obj.pk = created.pk
            obj._state.adding = False

    def get_urls(self):
        own = [
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="reorganisation_preview"),
            path("<int:pk>/undo/", self.admin_site.admin_view(self.undo_view), name="reorganisation_undo"),
        ]
        return own + super().get_urls()

    def _get(self, request, pk):
        reorganisation = Reorganisation.objects.filter(pk=pk).first()
        if reorganisation is None or not self.has_view_permission(request, reorganisation):
            raise PermissionDenied
        return reorganisation

    def _acted(self, request, reorganisation, service, done) -> bool:
        """Apply or undo (change permission), saying what happened or, refused, why."""
        if not self.has_change_permission(request, reorganisation):
            raise PermissionDenied
        try:
            service(by=request.actor, reorganisation=reorganisation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return False
        messages.success(request, done % {"title": reorganisation.title})
        return True

    def preview_view(self, request, pk):
        """What applying does, every problem in words; POST applies (change permission) when there is none."""
        reorganisation = self._get(request, pk)
        if request.method == "POST":
            done = _("The reorganisation “%(title)s” has been applied.")
            if self._acted(request, reorganisation, reorganisation_services.reorganisation_apply, done):
                return redirect("admin:awards_reorganisation_change", reorganisation.pk)
        if reorganisation.editable:
            preview = reorganisation_services.reorganisation_preview(reorganisation=reorganisation)
        else:  # applied: what it did, from what it wrote (today's state is its result, not its input)
            preview = reorganisation_outcome(reorganisation=reorganisation)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "original": reorganisation,
                   "title": (_("Preview: %(title)s") if reorganisation.editable else _("Applied: %(title)s"))
                   % {"title": reorganisation.title}, "preview": preview,
                   "may_apply": reorganisation.editable and self.has_change_permission(request, reorganisation)}  # fmt: skip
        return TemplateResponse(request, "admin/awards/reorganisation/preview.html", context)

    def undo_view(self, request, pk):
        reorganisation = self._get(request, pk)
        if request.method == "POST":
            done = _("The reorganisation “%(title)s” has been undone.")
            if self._acted(request, reorganisation, reorganisation_services.reorganisation_undo, done):
                return redirect("admin:awards_reorganisation_change", reorganisation.pk)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "original": reorganisation,
                   "title": _("Undo: %(title)s") % {"title": reorganisation.title},
                   "problems": reorganisation_services.undo_problems(reorganisation=reorganisation)}  # fmt: skip
        return TemplateResponse(request, "admin/awards/reorganisation/undo.html", context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if any(formset.has_changed() for formset in formsets):
            audit_record(actor=request.actor, action="reorganisation_changed", obj=form.instance, unit=None,
                         detail={"changes": form.instance.changes.count()})  # fmt: skip
