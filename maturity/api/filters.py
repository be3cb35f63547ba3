"""Filters of the API's lists (django-filter): each is a query parameter, documented in
the schema; a value that does not parse is a 400, never an empty list by accident.

They narrow what ``dealers.scoping`` already allowed: a filter never widens a list."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError

from dealers.models import Dealership, Region
from maturity.models import Assessment, Campaign, LeadTest, Measurement, Report, ReviewImport

ID_MAX = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """A positive whole id (a plain NumberFilter takes decimals)."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class DealershipFilter(filters.FilterSet):
    search = filters.CharFilter(
        method="filter_search", max_length=100, help_text="Part of the name or the city."
    )
    region = filters.ChoiceFilter(choices=Region.choices)
    group = IdFilter(field_name="group_id", help_text="Dealer group id.")
    brand = IdFilter(method="filter_brand", help_text="Brand id.")

    class Meta:
        model = Dealership
        fields = ["search", "region", "group", "brand"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(city__icontains=value))

    def filter_brand(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        # A subquery, not a join: a join would repeat dealerships of several brands.
        through = Dealership.brands.through.objects.filter(brand_id=value)
        return queryset.filter(pk__in=through.values("dealership_id"))


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 instant compared in UTC.

    PostgreSQL refuses offsets beyond +-15:59 that ISO 8601 parsers accept (``+18:18``), so
    the value is moved to UTC before it reaches the query; an instant that cannot be
    expressed in UTC (year 1 with a positive offset) is a clear 400, never a 500.
    """

    def filter(self, qs: QuerySet, value: datetime.datetime | None) -> QuerySet:
        if value is not None:
            try:
                value = value.astimezone(datetime.UTC)
            except OverflowError as exc:
                raise ValidationError({self.field_name: [_("This date is out of range.")]}) from exc
        return super().filter(qs, value)


class AssessmentFilter(filters.FilterSet):
    dealership = IdFilter(field_name="dealership_id", help_text="Dealership id.")
    status = filters.ChoiceFilter(choices=Assessment.Status.choices)
    submitted_after = UtcDateTimeFilter(
        field_name="submitted_at", lookup_expr="gte", help_text="ISO 8601, inclusive."
    )
    submitted_before = UtcDateTimeFilter(
        field_name="submitted_at", lookup_expr="lt", help_text="ISO 8601, exclusive."
    )

    class Meta:
        model = Assessment
        fields = ["dealership", "status", "submitted_after", "submitted_before"]


class ReportFilter(filters.FilterSet):
    assessment = IdFilter(field_name="assessment_id", help_text="Assessment id.")
    dealership = IdFilter(field_name="assessment__dealership_id", help_text="Dealership id.")
    status = filters.ChoiceFilter(choices=Report.Status.choices)

    class Meta:
        model = Report
        fields = ["assessment", "dealership", "status"]


class WebsiteCheckFilter(filters.FilterSet):
    dealership = IdFilter(field_name="dealership_id", help_text="Dealership id.")
    status = filters.ChoiceFilter(choices=Measurement.Status.choices)
    created_after = UtcDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text="ISO 8601, inclusive."
    )

    class Meta:
        model = Measurement
        fields = ["dealership", "status", "created_after"]


class LeadTestFilter(filters.FilterSet):
    dealership = IdFilter(field_name="dealership_id", help_text="Dealership id.")
    channel = filters.ChoiceFilter(choices=LeadTest.Channel.choices)
    sent_after = UtcDateTimeFilter(
        field_name="sent_at", lookup_expr="gte", help_text="ISO 8601, inclusive."
    )
    sent_before = UtcDateTimeFilter(
        field_name="sent_at", lookup_expr="lt", help_text="ISO 8601, exclusive."
    )

    class Meta:
        model = LeadTest
        fields = ["dealership", "channel", "sent_after", "sent_before"]


class ReviewImportFilter(filters.FilterSet):
    dealership = IdFilter(field_name="dealership_id", help_text="Dealership id.")

    class Meta:
        model = ReviewImport
        fields = ["dealership"]


CAMPAIGN_STATUS_CHOICES = [("open", "open"), ("closed", "closed")]


class CampaignFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        choices=CAMPAIGN_STATUS_CHOICES,
        method="filter_status",
        help_text="Open (reminders running) or closed.",
    )

    class Meta:
        model = Campaign
        fields = ["status"]

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(closed_at__isnull=value == "open")
