"""The Datasette plugin (``plugin.py``), its templates and the archive's table metadata.

Datasette loads this package by its entry point (``[project.entry-points.datasette]``); the
package, not the module, so that Datasette finds ``templates/`` next to it.
"""

from archiver.datasette.plugin import (  # noqa: F401  (the hooks Datasette registers)
    asgi_wrapper,
    canned_queries,
    filters_from_request,
    get_metadata,
    prepare_connection,
    prepare_jinja2_environment,
    register_routes,
    render_cell,
)
