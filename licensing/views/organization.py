"""The applicant face, organizations (SPEC sections 6 and 13): register, profile, owners, key persons, people.

Every URL names the organization by its public id; anyone who is not a member gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.domains import display_host
from common.errors import DomainError
from licensing import permissions, services
from licensing.forms.applicant import (
    BeneficialOwnerForm,
    ConfirmForm,
    InvitationForm,
    KeyPersonForm,
    OrganizationCreateForm,
    OrganizationDetailsForm,
)
from licensing.models import BeneficialOwner, Invitation, KeyPerson, Membership, Organization
from licensing.selectors import organization_licenses, organizations_for_member


def posted(request):
    """The submitted data on a POST (even when empty: an unticked box is an answer), else None."""
    return request.POST if request.method == "POST" else None


def bound(request) -> tuple:
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def organization_or_404(request, public_id) -> Organization:
    organization = organizations_for_member(request.user).filter(public_id=public_id).first()
    if organization is None:
        raise Http404
    return organization


def apply_service_error(form, error: Exception) -> list:
    """Put a service's refusal on the form: keyed errors at their fields, the rest at the top.

    Returns the problems that belong to no field, for the error summary.
    """
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return []
    if isinstance(error, DomainError):
        return [str(error.message), *map(str, error.problems)]
    return [" ".join(error.messages)] if isinstance(error, ValidationError) else [str(error)]


@login_required
def organization_create(request):
    """Register an organization; the person who registers it becomes its owner."""
    form = OrganizationCreateForm(posted(request))
    problems: list = []
    if not request.user.email_verified:
        problems = [
            (_("Confirm your e-mail address first: follow the link we sent you."), reverse("accounts:check_email"))
        ]
    if request.method == "POST" and form.is_valid() and not problems:
        try:
            organization = services.organization_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as error:
            problems = apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered. Complete its profile, then start an application.")
                % {"name": organization.legal_name},
            )
            return redirect("licensing:organization", organization.public_id)
    return render(request, "licensing/applicant/organization_create.html", {"form": form, "problems": problems})


@login_required
def organization_profile(request, public_id):
    organization = organization_or_404(request, public_id)
    owners = list(organization.beneficial_owners.all())
    people = list(organization.key_persons.filter(archived_at__isnull=True))
    return render(
        request,
        "licensing/applicant/organization.html",
        {
            "organization": organization,
            "owners": owners,
            "owners_total": sum((o.share_percent for o in owners), start=0),
            "people": people,
            "is_owner": permissions.is_owner(request.user, organization),
            "member_count": organization.memberships.count(),
            "licenses": list(organization_licenses(organization)),
        },
    )


def _details_initial(organization: Organization) -> dict:
    return {
        "legal_name": organization.legal_name,
        "latin_name": organization.latin_name,
        "trading_names": "\n".join(organization.trading_names or ()),
        "lei": organization.lei,
        "registered_address": organization.registered_address,
        "website": display_host(organization.website) if organization.website else "",
        "other_domains": "\n".join(display_host(d) for d in organization.other_domains or ()),
        "contact_email": organization.contact_email,
        "contact_phone": organization.contact_phone,
    }


@login_required
def organization_details(request, public_id):
    organization = organization_or_404(request, public_id)
    form = OrganizationDetailsForm(posted(request), initial=_details_initial(organization))
    problems: list = []
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(organization=organization, actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as error:
            problems = apply_service_error(form, error)
        else:
            messages.success(request, _("The organization's details are saved."))
            return redirect("licensing:organization", organization.public_id)
    return render(
        request,
        "licensing/applicant/organization_details.html",
        {"organization": organization, "form": form, "problems": problems},
    )


# --- beneficial owners and key persons: GOV.UK "add another" lists ---------------------------------


def _owners_context(organization: Organization) -> dict:
    owners = list(organization.beneficial_owners.all())
    total = organization.beneficial_owners.aggregate(total=Sum("share_percent"))["total"] or 0
    return {"organization": organization, "owners": owners, "owners_total": total, "room": 100 - total}


@login_required
def owners(request, public_id):
    organization = organization_or_404(request, public_id)
    return render(request, "licensing/applicant/owners.html", _owners_context(organization))


def _owner_form_values(form) -> dict:
    data = form.cleaned_data
    return {
        "full_name": data["full_name"],
        "share_percent": data["share_percent"],
        "country": data["country"],
        "is_politically_exposed": data["is_politically_exposed"],
    }


@login_required
def owner_edit(request, public_id, owner_id=None):
    """Add a beneficial owner, or change one; the 100 % cap is checked against the whole list."""
    organization = organization_or_404(request, public_id)
    owner = get_object_or_404(BeneficialOwner, organization=organization, public_id=owner_id) if owner_id else None
    initial = (
        {
            "full_name": owner.full_name,
            "share_percent": f"{owner.share_percent.normalize():f}",
            "country": owner.country,
            "is_politically_exposed": "yes" if owner.is_politically_exposed else "no",
        }
        if owner
        else {}
    )
    form = BeneficialOwnerForm(posted(request), initial=initial)
    problems: list = []
    if request.method == "POST" and form.is_valid():
        try:
            if owner:
                services.beneficial_owner_update(owner=owner, actor=request.user, **_owner_form_values(form))
            else:
                services.beneficial_owner_add(organization=organization, actor=request.user, **_owner_form_values(form))
        except DomainError as error:
            # The shares cap is the one rule the form cannot see: it belongs to the share.
            form.add_error("share_percent", error.message)
            problems = list(map(str, error.problems))
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": form.cleaned_data["full_name"]})
            return redirect("licensing:owners", organization.public_id)
    context = _owners_context(organization)
    if owner:
        context["room"] += owner.share_percent
    form.fields["share_percent"].help_text = _(
        "Direct and indirect ownership together, e.g. 25 or 33.33. Up to %(room)s %% is left for this owner."
    ) % {"room": context["room"]}
    return render(
        request,
        "licensing/applicant/owner_form.html",
        {**context, "form": form, "owner": owner, "problems": problems},
    )


@login_required
def owner_remove(request, public_id, owner_id):
    organization = organization_or_404(request, public_id)
    owner = get_object_or_404(BeneficialOwner, organization=organization, public_id=owner_id)
    if request.method == "POST":
        try:
            services.beneficial_owner_remove(owner=owner, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s is removed.") % {"name": owner.full_name})
        return redirect("licensing:owners", organization.public_id)
    return render(
        request,
        "licensing/applicant/confirm_remove.html",
        {
            "organization": organization,
            "title": _("Remove %(name)s from the beneficial owners?") % {"name": owner.full_name},
            "back": reverse("licensing:owners", args=[organization.public_id]),
        },
    )


@login_required
def people(request, public_id):
    organization = organization_or_404(request, public_id)
    return render(
        request,
        "licensing/applicant/people.html",
        {"organization": organization, "people": list(organization.key_persons.filter(archived_at__isnull=True))},
    )


@login_required
def person_edit(request, public_id, person_id=None):
    organization = organization_or_404(request, public_id)
    person = (
        get_object_or_404(KeyPerson, organization=organization, public_id=person_id, archived_at__isnull=True)
        if person_id
        else None
    )
    initial = {"role": person.role, "full_name": person.full_name, "email": person.email} if person else {}
    form = KeyPersonForm(posted(request), initial=initial)
    problems: list = []
    if request.method == "POST" and form.is_valid():
        try:
            if person:
                services.key_person_update(person=person, actor=request.user, **form.cleaned_data)
            else:
                services.key_person_add(organization=organization, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            problems = [str(error.message), *map(str, error.problems)]
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": form.cleaned_data["full_name"]})
            return redirect("licensing:people", organization.public_id)
    return render(
        request,
        "licensing/applicant/person_form.html",
        {"organization": organization, "form": form, "person": person, "problems": problems},
    )


@login_required
def person_remove(request, public_id, person_id):
    organization = organization_or_404(request, public_id)
    person = get_object_or_404(KeyPerson, organization=organization, public_id=person_id, archived_at__isnull=True)
    if request.method == "POST":
        try:
            archived = services.key_person_remove(person=person, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s is removed from the profile. Documents already filed for them are kept.")
                % {"name": person.full_name}
                if archived
                else _("%(name)s is removed.") % {"name": person.full_name},
            )
        return redirect("licensing:people", organization.public_id)
    return render(
        request,
        "licensing/applicant/confirm_remove.html",
        {
            "organization": organization,
            "title": _("Remove %(name)s from the key persons?") % {"name": person.full_name},
            "hint": _(
                "Documents already filed for this person stay with the applications they were filed for. "
                "Drafts no longer ask for their documents."
            ),
            "back": reverse("licensing:people", args=[organization.public_id]),
        },
    )


# --- people who may act for the organization ------------------------------------------------------


@login_required
def members(request, public_id):
    organization = organization_or_404(request, public_id)
    is_owner = permissions.is_owner(request.user, organization)
    form = InvitationForm(posted(request))
    problems: list = []
    if request.method == "POST":
        if not is_owner:
            raise Http404
        if form.is_valid():
            try:
                services.invitation_create(organization=organization, actor=request.user, **form.cleaned_data)
            except (ValidationError, DomainError) as error:
                problems = apply_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("We have sent an invitation to %(email)s. The link works once, for 7 days.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("licensing:members", organization.public_id)
    return render(
        request,
        "licensing/applicant/members.html",
        {
            "organization": organization,
            "is_owner": is_owner,
            "memberships": organization.memberships.select_related("user").order_by("role", "user__email"),
            "invitations": organization.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
            .select_related("invited_by")
            .order_by("-created_at"),
            "form": form,
            "problems": problems,
        },
    )


@login_required
def member_remove(request, public_id, membership_id):
    organization = organization_or_404(request, public_id)
    if not permissions.is_owner(request.user, organization):
        raise Http404
    membership = get_object_or_404(
        Membership.objects.select_related("user"), organization=organization, public_id=membership_id
    )
    name = membership.user.get_full_name() or membership.user.email or membership.user.get_username()
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_remove(membership=membership, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s can no longer act for the organization.") % {"name": name})
            if membership.user_id == request.user.pk:
                return redirect("licensing:applicant_home")
        return redirect("licensing:members", organization.public_id)
    return render(
        request,
        "licensing/applicant/confirm_remove.html",
        {
            "organization": organization,
            "form": form,
            "title": _("Remove %(name)s from the organization?") % {"name": name},
            "hint": _("They will no longer see the organization's applications. What they did stays on record."),
            "back": reverse("licensing:members", args=[organization.public_id]),
        },
    )


@login_required
@require_POST
def invitation_revoke(request, public_id, invitation_id):
    organization = organization_or_404(request, public_id)
    if not permissions.is_owner(request.user, organization):
        raise Http404
    invitation = get_object_or_404(Invitation, organization=organization, public_id=invitation_id)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect("licensing:members", organization.public_id)


def invitation_accept(request, token: str):
    """The link from the invitation e-mail: sign in (or sign up) with the invited address, then join."""
    try:
        invitation = services.invitation_for_token(token)
    except DomainError as error:
        return render(request, "licensing/applicant/invitation.html", {"error": error.message}, status=400)
    context = {"invitation": invitation, "token": token}
    if not request.user.is_authenticated:
        return render(request, "licensing/applicant/invitation.html", context)
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, actor=request.user)
        except DomainError as error:
            return render(
                request, "licensing/applicant/invitation.html", {**context, "error": error.message}, status=400
            )
        messages.success(request, _("You are now a member of %(name)s.") % {"name": membership.organization.legal_name})
        return redirect("licensing:organization", membership.organization.public_id)
    return render(request, "licensing/applicant/invitation.html", context)
