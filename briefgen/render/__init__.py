"""Rendering: the Jinja environment, the HTML site and the PDF of each issue."""
