"""Billing close: marts.period_closes month by month, the monthly finalization schedule and
the sensor that closes the month a finalization run billed."""
