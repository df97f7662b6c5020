"""Volunteers and the time bank: service hours, points, redemptions and balances kept honest.

`fields` declares the sheets (service log, redemption log, volunteer roster), `rules` reads the
[volunteers] section of gridtool.toml, `entries` turns sheet rows into shifts and redemptions,
`checks` finds the entries that must not count, and `ledger` credits the rest.
"""
