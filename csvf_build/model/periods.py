"""The model's periods: the shared calendar (`csvf_build.calendar`) plus the all-time key.

The calendar helpers moved to `csvf_build.calendar` so that the content layer
need not import the model; they are re-exported here for the model's modules
and the CLI.
"""

from __future__ import annotations

from csvf_build.calendar import Month, build_date, fiscal_year, fiscal_year_bounds, months_between

__all__ = ["ALL_TIME", "Month", "build_date", "fiscal_year", "fiscal_year_bounds", "months_between"]

ALL_TIME = "all"
