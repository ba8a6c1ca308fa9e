"""The desk: the monitor's Datasette plugin and its templates.

Installed as a Datasette plugin (the ``datasette`` entry point in pyproject.toml
names this package), so ``datasette serve any.db`` loads it; Datasette finds
the templates in this package's ``templates/`` folder. Everything it serves is
keyed by what a database holds, never by its name (see desk/plugin.py).
"""

from desk.plugin import (
                         canned_queries,
                         extra_template_vars,
                         get_metadata,
                         menu_links,
                         register_output_renderer,
                         register_routes,
                         render_cell,
                         startup,
)

__all__ = ["canned_queries", "extra_template_vars", "get_metadata", "menu_links", "register_output_renderer",
           "register_routes", "render_cell", "startup"]
