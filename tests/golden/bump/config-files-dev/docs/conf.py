# Sphinx configuration for cfgfiles.

project = "cfgfiles"
author = "Example Org"
copyright = "2025, Example Org"
release = "3.0.1.dev1"

extensions = ["sphinx.ext.autodoc"]
html_theme = "alabaster"
