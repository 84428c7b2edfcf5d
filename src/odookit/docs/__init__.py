"""The engagement's SOP site: Markdown pages from the workspace, built with mkdocs-material."""
