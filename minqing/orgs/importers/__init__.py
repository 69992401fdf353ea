"""Importers of tabular files into the organisation network (see minqing.core.importing)."""
