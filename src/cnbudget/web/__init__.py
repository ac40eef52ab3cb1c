"""The web application for review teams (`cnbudget serve`): upload, see the evidence on the page, decide,
hand back the checklist — on the same library, parse and audit as the command line.

Server-rendered pages (Jinja2) with a little vanilla JavaScript, every asset in the package (the pages
work with the network unplugged), a REST API under /api/v1 with its OpenAPI description, users with roles.
"""
