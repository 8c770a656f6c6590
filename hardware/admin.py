"""Admin for staff: the devices (each kiosk's, and a store's own printers such
as a kitchen printer) and their state, and the print jobs."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hardware.models import Device, PrintJob
from hardware.preview import png_data_uri, receipt_preview_png
from hardware.printer.profiles import DEFAULT_PROFILE, PROFILES
from hardware.selectors import receipt_for_job
from hardware.services.devices import device_token_rotate
from hardware.services.print_jobs import print_job_reprint, print_jobs_addressed

RECENT_JOBS = 10
OWNER_FIELDS = {"kiosk", "store", "name"}


def _staff(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _preview(job: PrintJob | None, profile_name: str) -> SafeString | str:
    if job is None:
        return str(_("Nothing printed on this device yet."))
    profile = PROFILES.get(profile_name) or PROFILES[DEFAULT_PROFILE]
    png = receipt_preview_png(receipt_for_job(job), profile)
    return format_html(
        '<img src="{}" alt="{}" class="receipt-preview" width="{}">',
        png_data_uri(png),
        _("Receipt preview"),
        profile.width_pixels // 2 + 16,
    )


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "__str__",
        "is_agent_connected",
        "scanner_state",
        "printer_state",
        "last_seen_at",
        "last_error",
    ]
    list_filter = ["is_agent_connected", "printer_state", "scanner_state"]
    list_select_related = ["kiosk__store", "store"]
    search_fields = [
        "kiosk__name",
        "kiosk__code",
        "kiosk__store__name",
        "name",
        "store__name",
    ]
    actions = ["rotate_token"]
    fieldsets = [
        (
            None,
            {
                "fields": ["kiosk", "store", "name"],
                "description": _(
                    "A kiosk's device (its scanner and receipt printer), or a "
                    "printer of the store's own, such as a kitchen printer: "
                    "then choose the store and give it a name instead."
                ),
            },
        ),
        (
            _("Agent"),
            {
                "fields": [
                    "is_agent_connected",
                    "connected_at",
                    "last_seen_at",
                    "agent_hostname",
                    "agent_version",
                    "token_created_at",
                ]
            },
        ),
        (_("Scanner"), {"fields": ["scanner_port", "scanner_state", "scanner_detail"]}),
        (
            _("Printer"),
            {
                "fields": [
                    "printer_address",
                    "printer_profile",
                    "printer_state",
                    "printer_detail",
                ]
            },
        ),
        (_("Problems"), {"fields": ["last_error", "last_error_at"]}),
        (_("Receipts"), {"fields": ["recent_jobs", "receipt_preview"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = [
            str(name)
            for _title, options in self.fieldsets or []
            for name in options["fields"]
            if name not in OWNER_FIELDS
        ]
        # The kiosk or store is chosen when the device is added, never changed after.
        return [*fields, "kiosk", "store"] if obj is not None else fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _jobs(self, device: Device) -> QuerySet[PrintJob]:
        return PrintJob.objects.filter(
            print_jobs_addressed(kiosk_id=device.kiosk_id, device_id=device.pk)
        ).select_related("order")

    @admin.display(description=_("recent print jobs"))
    def recent_jobs(self, device: Device) -> SafeString | str:
        if device.pk is None:
            return "—"
        jobs = self._jobs(device)[:RECENT_JOBS]
        if not jobs:
            return str(_("No print job yet."))
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> · {} · {}</li>',
                (
                    (
                        reverse("admin:hardware_printjob_change", args=[job.pk]),
                        job.order,
                        job.get_status_display(),
                        job.last_error or "",
                    )
                    for job in jobs
                ),
            ),
        )

    @admin.display(description=_("receipt preview"))
    def receipt_preview(self, device: Device) -> SafeString | str:
        """The last job of this device as its printer profile would print it."""
        if device.pk is None:
            return "—"
        return _preview(self._jobs(device).first(), device.printer_profile)

    @admin.action(
        description=_("Create a new device token (the old one stops working)")
    )
    def rotate_token(self, request: HttpRequest, queryset: QuerySet[Device]) -> None:
        for device in queryset.select_related("kiosk__store", "store"):
            token = device_token_rotate(device=device)
            self.message_user(
                request,
                format_html(
                    "{}: device token <code>{}</code>. Copy it now into the agent's "
                    "token file: it is not shown again.",
                    device,
                    token,
                ),
                messages.WARNING,
            )


@admin.register(PrintJob)
class PrintJobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "order",
        "kiosk",
        "device",
        "kind",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "printed_at",
    ]
    list_filter = ["status", "kind", "kiosk"]
    list_select_related = [
        "order",
        "kiosk__store",
        "device__kiosk__store",
        "device__store",
    ]
    search_fields = ["order__number", "order__uuid"]
    actions = ["reprint"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*(f.name for f in PrintJob._meta.fields), "receipt_preview"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("receipt preview"))
    def receipt_preview(self, job: PrintJob) -> SafeString | str:
        device = job.device
        if device is None and job.kiosk_id is not None:
            device = Device.objects.filter(kiosk_id=job.kiosk_id).first()
        return _preview(job, device.printer_profile if device is not None else "")

    @admin.action(description=_("Print the receipt again (a copy)"))
    def reprint(self, request: HttpRequest, queryset: QuerySet[PrintJob]) -> None:
        count = 0
        for job in queryset:
            print_job_reprint(job=job, user=_staff(request))
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d copy sent to the printer.",
                "%(count)d copies sent to the printer.",
                count,
            )
            % {"count": count},
        )
