"""The desk: the monitor's Datasette plugin, its templates and its metadata.

Installed as a Datasette plugin (the ``datasette`` entry point in pyproject.toml
names this package), so ``datasette serve any.db`` loads it; Datasette finds
the templates in this package's ``templates/`` folder.
"""

from desk.plugin import menu_links, register_output_renderer, register_routes, render_cell

__all__ = ["menu_links", "register_output_renderer", "register_routes", "render_cell"]
