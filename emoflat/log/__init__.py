"""The session log: one record per session (:mod:`.record`), kept in JSON Lines files
(:mod:`.store`), summed up (:mod:`.figures`), put into words (:mod:`.render`) and served
on the command line (:mod:`.commands`).

A leaf package: standard library and msgspec only; no UI, no network.
"""
