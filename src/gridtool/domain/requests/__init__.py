"""Resident requests (居民诉求): categories, urgency, waiting times, hot topics and delivery rounds.

`fields` declares the request log and route sheet vocabularies (the volunteer roster is the volunteers'); `rules` the
configurable categories and words; `categories` the one categoriser (also used for building sheets);
`triage` turns request tables into one frame; `topics` counts; `rounds` plans deliveries; `report`
joins them for `gridtool requests`.
"""
