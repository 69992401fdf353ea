"""Bulletins: templates with metric placeholders, generation, publishing, checks and renderers.

- ``formatting``: how a figure is printed (the one place).
- ``templating``: placeholders in a template: parse, validate against the registry, render.
- ``campaigns``: the campaign running at a date in a unit's scope, and lookups by name.
- ``services``: ``bulletin_generate``, ``bulletin_publish``, ``bulletin_check``, template writes.
- ``selectors``: reads scoped to the actor (published bulletins, templates, unit picker).
- ``renderers``: txt, json, docx (GB/T 9704-2012 layout), pdf (WeasyPrint), xlsx.
"""
